using System.Text.Json;
using Galaxy.Gateway.GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The GraphQL half of the permission matrix in docs/security.md: every cell asked of the running gateway (✓: the field
/// answers without error; –: it is null with a <c>forbidden</c> error), and every field that checks a permission has its row.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GraphQLMatrixTests(GatewayFixture fixture)
{
    private const string ApiKeyColumn = "API key";

    private static readonly IReadOnlyList<(string Field, string Permission, IReadOnlyList<(string Principal, bool Allowed)> Cells)> Rows = Parse();

    public static TheoryData<string, string, bool> Cells()
    {
        var cells = new TheoryData<string, string, bool>();
        foreach (var (field, _, allowed) in Rows)
        {
            foreach (var (principal, isAllowed) in allowed)
            {
                cells.Add(field, principal, isAllowed);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_principal_gets_what_the_matrix_says(string field, string principal, bool allowed)
    {
        using var client = principal == ApiKeyColumn
            ? fixture.ClientWithApiKey((await fixture.CreateApiKeyAsync("graphql matrix")).Key)
            : await fixture.ClientForAsync(TestAccounts.RoleAccounts[principal]);

        var answer = await client.GraphQLAsync(await QueryForAsync(field));

        if (allowed)
        {
            Assert.True(answer.ErrorCodes().Count == 0, $"{principal} → {field}: {answer}");
        }
        else
        {
            Assert.Contains("forbidden", answer.ErrorCodes());
        }
    }

    [Fact]
    public void Every_field_that_checks_a_permission_has_its_row_and_the_same_permission()
    {
        var schema = fixture.Gateway.Services.GetRequiredService<ISchema>();
        schema.Initialize();

        var checkedFields = schema.AllTypes.OfType<IComplexGraphType>()
            .SelectMany(type => type.Fields.Select(field => (Field: $"{type.Name}.{field.Name}", Permission: FieldPermissions.Of(field))))
            .Where(field => field.Permission is not null)
            .ToHashSet();

        Assert.Equal(checkedFields.OrderBy(field => field.Field), Rows.Select(row => (row.Field, (string?)row.Permission)).OrderBy(field => field.Field));
    }

    private async Task<string> QueryForAsync(string field)
    {
        const string Range = "{ from: \"2026-01-01T00:00:00Z\", to: \"2026-01-02T00:00:00Z\" }";
        return field switch
        {
            "Query.galaxyModels" => "{ galaxyModels(limit: 1) { name } }",
            "Query.modelById" => $"{{ modelById(id: \"{await ModelAsync()}\") {{ name }} }}",
            "Query.performanceReport" => $"{{ performanceReport(timeRange: {Range}) {{ coverage }} }}",
            "Query.unit" => "{ unit(id: \"3\") { modelVersion } }",
            "Query.labscapes" => "{ labscapes { id } }",
            "Query.labscape" => "{ labscape(id: \"1\") { stableVersion } }",
            "Query.trainingJobs" => "{ trainingJobs(limit: 1) { id } }",
            "Query.alerts" => "{ alerts(limit: 1) { id } }",
            "GalaxyModel.performance" => $"{{ modelById(id: \"{await ModelAsync()}\") {{ performance {{ requests }} }} }}",
            "GalaxyModel.deployment" => $"{{ modelById(id: \"{await ModelAsync()}\") {{ deployment {{ id }} }} }}",
            "Mutation.deployModel" => $"mutation {{ deployModel(input: {{ modelId: \"{await ModelAsync()}\", labscapes: [{DeploymentRequests.Labscape}] }}) {{ id }} }}",
            "Mutation.optimizeModel" =>
                $"mutation {{ optimizeModel(modelId: \"{(await OptimizationRequests.TrainedAsync(fixture.Http)).Model}\", optimization: {{ technique: \"int8\" }}) {{ version }} }}",
            "Mutation.requestCEOApproval" => $"mutation {{ requestCEOApproval(modelId: \"{await ModelAsync()}\", reason: \"matrix\") {{ id }} }}",
            _ => throw new InvalidOperationException($"The GraphQL matrix names {field}, which this test cannot ask yet: add it here."),
        };
    }

    /// <summary>A fresh model with one PENDING version, made as LEAD_AI.</summary>
    private Task<string> ModelAsync() => RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-matrix");

    private static List<(string, string, IReadOnlyList<(string, bool)>)> Parse()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "security.md"))
            .SkipWhile(line => !line.StartsWith("<!-- graphql-matrix", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        var principals = lines[0][2..];
        return lines.Skip(2)
            .Select(cells => (cells[0].Trim('`'), cells[1], (IReadOnlyList<(string, bool)>)principals.Select((principal, i) => (principal, cells[i + 2] == "✓")).ToList()))
            .ToList();
    }
}
