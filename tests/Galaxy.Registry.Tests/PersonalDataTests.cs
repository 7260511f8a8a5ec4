using Galaxy.Registry.PersonalData;

namespace Galaxy.Registry.Tests;

/// <summary>
/// Uploads with columns that look like personal data: refused by default at the first such field (or name), masked by
/// policy (features dropped, labels pseudonymised under a key), or allowed; plain numbers are never taken for it.
/// </summary>
public sealed class PersonalDataTests
{
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData("ann@example.com", PersonalDataDetector.Email)]
    [InlineData("+1 555 123 4567", PersonalDataDetector.Phone)]
    [InlineData("(030) 1234-5678", PersonalDataDetector.Phone)]
    [InlineData("+4915112345678", PersonalDataDetector.Phone)]
    [InlineData("123-45-6789", PersonalDataDetector.NationalId)]
    [InlineData("4111 1111 1111 1111", PersonalDataDetector.CardNumber)]
    [InlineData("5500005555555559", PersonalDataDetector.CardNumber)]
    public void Values_that_look_like_personal_data_are_recognised(string value, string kind) =>
        Assert.Equal(kind, PersonalDataDetector.Classify(value));

    [Theory]
    [InlineData("0.25")]
    [InlineData("16")]
    [InlineData("1234567")]
    [InlineData("-1234567")]
    [InlineData("3.4028235E+38")]
    [InlineData("1e-7")]
    [InlineData("4111111111111112")]
    [InlineData("2024-01-15")]
    [InlineData("setosa")]
    public void Plain_values_are_not(string value) => Assert.Null(PersonalDataDetector.Classify(value));

    [Theory]
    [InlineData("email", true)]
    [InlineData("customerPhone", true)]
    [InlineData("national_id", true)]
    [InlineData("credit card", true)]
    [InlineData("SSN", true)]
    [InlineData("phoneme_count", false)]
    [InlineData("pixel_12", false)]
    public void Column_names_that_say_personal_data_are_recognised(string name, bool personal) =>
        Assert.Equal(personal, PersonalDataDetector.IsPersonalName(name));

    [Theory]
    [InlineData("x,contact,label\n1,0.5,a\n2,ann@example.com,b\n", "contact", PersonalDataDetector.Email, 3)]
    [InlineData("x,y,label\n1,2,a\n3,4,+1 555 123 4567\n", "label", PersonalDataDetector.Phone, 3)]
    [InlineData("x,y,label\n1,4111 1111 1111 1111,a\n", "y", PersonalDataDetector.CardNumber, 2)]
    [InlineData("x,ssn,label\n1,2,a\n", "ssn", PersonalDataDetector.NamedColumn, 1)]
    public async Task The_default_policy_refuses_naming_the_column_the_kind_and_the_line(string csv, string column, string kind, int line)
    {
        var refusal = await Assert.ThrowsAsync<PersonalDataException>(() => RegistryDatabase.ParseAsync(csv));

        Assert.Equal((column, kind, line), (refusal.Column, refusal.Kind, refusal.Line));
    }

    [Fact]
    public async Task Masking_drops_personal_feature_columns_and_pseudonymises_personal_labels_consistently()
    {
        const string csv = "x,phone,y,label\n1,+1 555 123 4567,2,ann@example.com\n3,+1 555 765 4321,4,bob@example.com\n5,0,6,ann@example.com\n";

        var (table, _) = await CsvDataset.ReadAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "label", 1 << 20, CancellationToken.None,
            new PersonalDataPolicy(PersonalDataAction.Mask, Key));

        Assert.Equal(["x", "y"], table.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], table.Features);
        Assert.All(table.Labels, label => Assert.StartsWith("pii-", label, StringComparison.Ordinal));
        Assert.Equal(table.Labels[0], table.Labels[2]);
        Assert.NotEqual(table.Labels[0], table.Labels[1]);
        Assert.Equal(
            [("phone", PersonalDataDetector.NamedColumn), ("label", PersonalDataDetector.Email)],
            table.PersonalData.Select(finding => (finding.Column, finding.Kind)));
    }

    [Fact]
    public async Task Allowing_stores_the_data_as_it_came()
    {
        var (table, _) = await CsvDataset.ReadAsync(
            new MemoryStream("x,y,label\n1,2,ann@example.com\n"u8.ToArray()), "label", 1 << 20, CancellationToken.None,
            new PersonalDataPolicy(PersonalDataAction.Allow, null));

        Assert.Equal(["ann@example.com"], table.Labels);
        Assert.Empty(table.PersonalData);
    }
}
