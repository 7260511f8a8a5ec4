using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Galaxy.Testing.Processes;
using Microsoft.AspNetCore.Hosting;
using static Galaxy.Gateway.Tests.ModelEndpointTests;

namespace Galaxy.Gateway.Tests;

/// <summary>/v1/datasets through the real gateway: streamed uploads and their limits, reads, deletion, problems.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DatasetEndpointTests(GatewayFixture fixture)
{
    private static readonly string DigitsFile = Path.Combine(RepositoryBuild.Root, "datasets", "optdigits-train.csv");

    private HttpClient Lead => fixture.Http;

    [Fact]
    public async Task The_digits_file_uploads_once_and_describes_itself()
    {
        var name = RegistryRequests.UniqueName("digits");

        var created = await UploadFileAsync(Lead, name);
        var again = await UploadFileAsync(Lead, RegistryRequests.UniqueName("digits-again"));
        var dataset = await created.JsonAsync();
        var byName = await Lead.GetFromJsonAsync<JsonElement>($"/v1/datasets/{name}");
        var byId = await Lead.GetFromJsonAsync<JsonElement>($"/v1/datasets/{dataset.GetProperty("id").GetString()}");
        var listed = await Lead.GetFromJsonAsync<JsonElement>("/v1/datasets?limit=1000");

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(DigitsFile)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(name, (await again.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal((3_823, 64, "digit", sha256), (
            dataset.GetProperty("rows").GetInt32(), dataset.GetProperty("featureNames").GetArrayLength(),
            dataset.GetProperty("labelColumn").GetString(), dataset.GetProperty("sha256").GetString()));
        Assert.Equal(10, byName.GetProperty("classCounts").EnumerateObject().Count());
        Assert.Equal(3_823, byId.GetProperty("classCounts").EnumerateObject().Sum(count => count.Value.GetInt32()));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("name").GetString() == name);
        // The request's audit row hashed the body as it streamed: the same digest as the dataset's own.
        var row = (await AuditRows.ReadAsync(fixture, "dataset.upload", "/v1/datasets")).First(row => row.Digest == sha256);
        Assert.Equal((TestAccounts.LeadAi, 201), (row.Principal, row.Outcome));
    }

    [Fact]
    public async Task A_bad_file_is_a_400_that_names_its_line_and_column()
    {
        var response = await Lead.PostAsync(
            $"/v1/datasets?name={RegistryRequests.UniqueName("bad")}&label=label", RegistryRequests.Csv("a,b,label\n1,2,x\n3,four,y\n"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-dataset");
        Assert.Equal((3, "b"), (problem.GetProperty("line").GetInt32(), problem.GetProperty("column").GetString()));
        Assert.Equal("Line 3, column 'b': 'four' is not a number", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Upload_problems_carry_their_codes()
    {
        var name = RegistryRequests.UniqueName("upload");
        await Lead.PostAsync($"/v1/datasets?name={name}&label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv()));

        await AssertProblemAsync(
            await Lead.PostAsync($"/v1/datasets?name={name}&label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv())),
            HttpStatusCode.Conflict, "dataset-exists");
        await AssertProblemAsync(
            await Lead.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("json")}&label=label", new StringContent("{}", Encoding.UTF8, "application/json")),
            HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await AssertProblemAsync(
            await Lead.PostAsync("/v1/datasets?label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv())), HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            await Lead.PostAsync("/v1/datasets?name=Bad%20Name&label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv())),
            HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            await Lead.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("nolabel")}", RegistryRequests.Csv(RegistryRequests.UniqueCsv())),
            HttpStatusCode.BadRequest, "invalid-input");
        await AssertProblemAsync(
            await Lead.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("wronglabel")}&label=digit", RegistryRequests.Csv(RegistryRequests.UniqueCsv())),
            HttpStatusCode.BadRequest, "invalid-dataset");
    }

    [Fact]
    public async Task Uploads_are_not_held_to_the_four_MiB_body_cap()
    {
        var row = string.Join(',', Enumerable.Repeat("0.123456", 64));
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, 64).Select(i => $"f{i}")) + ",label\n");
        for (var i = 0; csv.Length < 5 * 1024 * 1024; i++)
        {
            csv.Append(row).Append(',').Append(i % 10).Append('\n');
        }

        var response = await Lead.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("large")}&label=label", RegistryRequests.Csv(csv.ToString()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("bytes").GetInt64() > 5 * 1024 * 1024);
    }

    [Fact]
    public async Task An_upload_over_the_configured_limit_is_a_413_declared_or_streamed()
    {
        await using var strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:Datasets:MaxUploadBytes", "1000"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = Lead.DefaultRequestHeaders.Authorization;
        var csv = Encoding.UTF8.GetBytes("a,label\n" + string.Concat(Enumerable.Repeat("1,x\n", 500)));

        var declared = await client.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("declared")}&label=label", CsvBytes(csv, declaredLength: true));
        var streamed = await client.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("streamed")}&label=label", CsvBytes(csv, declaredLength: false));
        var small = await client.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("small")}&label=label", RegistryRequests.Csv(RegistryRequests.UniqueCsv()));

        var tooLarge = await AssertProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Contains("1000 bytes", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(streamed, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
    }

    [Fact]
    public async Task A_dataset_is_deleted_only_while_no_version_refers_to_it()
    {
        var used = await RegistryRequests.DatasetAsync(Lead, "used");
        var unused = await RegistryRequests.DatasetAsync(Lead, "unused");
        var model = RegistryRequests.UniqueName("trained-on");
        await Lead.PostAsJsonAsync("/v1/models", new { name = model });
        (await Lead.PostAsJsonAsync($"/v1/models/{model}/versions", RegistryRequests.TinyVersion(used))).EnsureSuccessStatusCode();

        var refused = await Lead.DeleteAsync($"/v1/datasets/{used}");
        var deleted = await Lead.DeleteAsync($"/v1/datasets/{unused}");

        var problem = await AssertProblemAsync(refused, HttpStatusCode.Conflict, "dataset-in-use");
        Assert.Contains(model, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertProblemAsync(await Lead.GetAsync($"/v1/datasets/{unused}"), HttpStatusCode.NotFound, "dataset-not-found");
        await AssertProblemAsync(await Lead.DeleteAsync($"/v1/datasets/{unused}"), HttpStatusCode.NotFound, "dataset-not-found");
    }

    private static async Task<HttpResponseMessage> UploadFileAsync(HttpClient client, string name)
    {
        await using var file = File.OpenRead(DigitsFile);
        var content = new StreamContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return await client.PostAsync($"/v1/datasets?name={name}&label=digit", content);
    }

    /// <summary>A CSV body with its length declared, or streamed without one (chunked).</summary>
    private static HttpContent CsvBytes(byte[] csv, bool declaredLength)
    {
        HttpContent content = declaredLength ? new ByteArrayContent(csv) : new StreamContent(new UnknownLengthStream(csv));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    /// <summary>A stream that will not say how long it is, so the client cannot declare a Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
