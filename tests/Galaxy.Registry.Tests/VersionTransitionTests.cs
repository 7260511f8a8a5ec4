namespace Galaxy.Registry.Tests;

/// <summary>Every pair of the 5×5 status table, asked of the registry; and a race for one transition.</summary>
public sealed class VersionTransitionTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    private static readonly HashSet<(VersionStatus, VersionStatus)> Legal =
    [
        (VersionStatus.Pending, VersionStatus.Approved), (VersionStatus.Pending, VersionStatus.Retired),
        (VersionStatus.Approved, VersionStatus.Deployed), (VersionStatus.Approved, VersionStatus.Retired),
        (VersionStatus.Deployed, VersionStatus.RolledBack), (VersionStatus.Deployed, VersionStatus.Retired),
        (VersionStatus.RolledBack, VersionStatus.Retired),
    ];

    // A legal way from PENDING to each status.
    private static readonly Dictionary<VersionStatus, VersionStatus[]> PathTo = new()
    {
        [VersionStatus.Pending] = [],
        [VersionStatus.Approved] = [VersionStatus.Approved],
        [VersionStatus.Deployed] = [VersionStatus.Approved, VersionStatus.Deployed],
        [VersionStatus.RolledBack] = [VersionStatus.Approved, VersionStatus.Deployed, VersionStatus.RolledBack],
        [VersionStatus.Retired] = [VersionStatus.Retired],
    };

    public static TheoryData<VersionStatus, VersionStatus> Pairs()
    {
        var pairs = new TheoryData<VersionStatus, VersionStatus>();
        foreach (var from in Enum.GetValues<VersionStatus>())
        {
            foreach (var to in Enum.GetValues<VersionStatus>())
            {
                pairs.Add(from, to);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_table_allows_exactly_the_lifecycles_moves(VersionStatus from, VersionStatus to) =>
        Assert.Equal(Legal.Contains((from, to)), VersionTransitions.IsLegal(from, to));

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task The_registry_makes_legal_moves_and_refuses_the_rest(VersionStatus from, VersionStatus to)
    {
        var model = await registry.NewModelAsync("lifecycle");
        var version = await registry.NewVersionAsync(model.Id);
        foreach (var step in PathTo[from])
        {
            await registry.Models.ChangeStatusAsync(model.Id, version.Version, step, RegistryDatabase.Actor, null, CancellationToken.None);
        }

        var statusRows = (await registry.AuditRowsAsync(RegistryAudit.VersionStatusChanged, $"models/{model.Name}/")).Count;
        if (Legal.Contains((from, to)))
        {
            var moved = await registry.Models.ChangeStatusAsync(model.Id, version.Version, to, "approver", "checked", CancellationToken.None);

            Assert.Equal(to, moved.Status);
            Assert.Equal("checked", moved.StatusReason);
            var row = (await registry.AuditRowsAsync(RegistryAudit.VersionStatusChanged, $"models/{model.Name}/")).Last();
            Assert.Equal($"models/{model.Name}/versions/1 {from.ToWire()}→{to.ToWire()}: checked", row.Target);
            Assert.Equal("approver", row.Principal);
        }
        else
        {
            var refused = await Assert.ThrowsAsync<IllegalTransitionException>(() =>
                registry.Models.ChangeStatusAsync(model.Id, version.Version, to, RegistryDatabase.Actor, null, CancellationToken.None));

            Assert.Equal((from, to), (refused.From, refused.To));
            Assert.Contains(to.ToWire(), refused.Message, StringComparison.Ordinal);
            Assert.Equal(from, (await registry.Models.FindVersionAsync(model.Id, "1", CancellationToken.None))!.Status);
            Assert.Equal(statusRows, (await registry.AuditRowsAsync(RegistryAudit.VersionStatusChanged, $"models/{model.Name}/")).Count);
        }
    }

    [Fact]
    public async Task Of_ten_concurrent_approvals_exactly_one_lands()
    {
        var model = await registry.NewModelAsync("race");
        var version = await registry.NewVersionAsync(model.Id);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await registry.Models.ChangeStatusAsync(model.Id, version.Version, VersionStatus.Approved, $"approver{i}", null, CancellationToken.None);
                return true;
            }
            catch (IllegalTransitionException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, landed => landed);
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.VersionStatusChanged, $"models/{model.Name}/"));
    }

    [Fact]
    public async Task A_missing_version_or_model_is_not_found()
    {
        var model = await registry.NewModelAsync("missing");

        var noVersion = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.ChangeStatusAsync(model.Id, 7, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None));
        var noModel = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.ChangeStatusAsync(Guid.NewGuid(), 1, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None));

        Assert.Equal(RegistryNotFoundException.Version, noVersion.Kind);
        Assert.Equal(RegistryNotFoundException.Model, noModel.Kind);
    }

    [Fact]
    public async Task A_reason_is_one_short_line()
    {
        var model = await registry.NewModelAsync("reason");
        var version = await registry.NewVersionAsync(model.Id);

        await Assert.ThrowsAsync<InvalidRegistryInputException>(() => registry.Models.ChangeStatusAsync(
            model.Id, version.Version, VersionStatus.Approved, RegistryDatabase.Actor, "two\nlines", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() => registry.Models.ChangeStatusAsync(
            model.Id, version.Version, VersionStatus.Approved, RegistryDatabase.Actor, new string('x', 501), CancellationToken.None));
    }
}
