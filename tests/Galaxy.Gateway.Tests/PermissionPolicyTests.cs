using System.Security.Claims;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The policies <see cref="Permissions.AddGuardianPolicies"/> makes, asked directly in milliseconds: each permission a
/// row of docs/security.md names grants exactly the principals the row ticks. <see cref="PermissionMatrixTests"/> asks
/// the same of the running gateway, endpoint by endpoint.
/// </summary>
public sealed class PermissionPolicyTests
{
    private const string AnonymousColumn = "anonymous";

    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddAuthorizationBuilder().AddGuardianPolicies().Services
        .BuildServiceProvider();

    public static TheoryData<string, string, bool> Cells()
    {
        var cells = new TheoryData<string, string, bool>();
        foreach (var (permission, allowed) in WrittenMatrix.PermissionRows.DistinctBy(row => row.Permission))
        {
            foreach (var (principal, isAllowed) in allowed)
            {
                cells.Add(permission, principal, isAllowed);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_permission_grants_the_principals_the_written_matrix_ticks(string permission, string principal, bool allowed)
    {
        var result = await AuthorizeAsync(Principal(principal), permission);

        Assert.Equal(allowed, result.Succeeded);
    }

    [Fact]
    public void Every_row_naming_a_permission_agrees_with_the_other_rows_naming_it()
    {
        var disagreeing = WrittenMatrix.PermissionRows
            .GroupBy(row => row.Permission)
            .Where(rows => rows.Select(row => string.Join(",", row.Cells)).Distinct().Count() > 1)
            .Select(rows => rows.Key);

        Assert.Empty(disagreeing);
    }

    [Fact]
    public void Every_permission_is_named_by_a_row_of_the_written_matrix()
    {
        var written = WrittenMatrix.PermissionRows.Select(row => row.Permission).ToHashSet();

        Assert.Empty(Permissions.Matrix.Keys.Except(written));
    }

    [Fact]
    public async Task A_route_that_names_no_permission_admits_any_signed_in_caller_and_no_anonymous_one()
    {
        var fallback = await Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = Services.GetRequiredService<IAuthorizationService>();

        Assert.NotNull(fallback);
        Assert.True((await authorization.AuthorizeAsync(Principal(Roles.ApiKey), resource: null, fallback)).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(SignedIn(), resource: null, fallback)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(Anonymous(), resource: null, fallback)).Succeeded);
    }

    [Fact]
    public async Task A_signed_in_caller_without_a_role_holds_no_permission()
    {
        foreach (var permission in Permissions.Matrix.Keys)
        {
            Assert.False((await AuthorizeAsync(SignedIn(), permission)).Succeeded, permission);
        }
    }

    private static Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal principal, string permission) =>
        Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(principal, resource: null, permission);

    /// <summary>A column of the written matrix as a caller: a role by its name, "API key" as the key's role.</summary>
    private static ClaimsPrincipal Principal(string column) => column switch
    {
        AnonymousColumn => Anonymous(),
        "API key" => SignedIn(new Claim(ClaimTypes.Role, Roles.ApiKey)),
        _ => SignedIn(new Claim(ClaimTypes.Role, column)),
    };

    private static ClaimsPrincipal SignedIn(params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "caller"), .. claims], authenticationType: "test"));

    private static ClaimsPrincipal Anonymous() => new(new ClaimsIdentity());
}
