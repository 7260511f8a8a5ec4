using Galaxy.Gateway.Guardian;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// Guardian's permissions on GraphQL fields: a field names the permission its REST counterpart needs, and a caller
/// whose role does not hold it gets the field as null with a <c>forbidden</c> error, as REST answers 403. Failures the
/// REST routes turn into problems become errors with the same stable code. A mutation names its audit action: its
/// outcome is appended to the audit chain as its REST route's would be; and its route's rate-limit group: it takes a
/// permit from the caller's window of that group, the very one the route takes from, or is refused <c>rate-limited</c>.
/// </summary>
internal static class FieldPermissions
{
    public const string PermissionKey = "galaxy.permission";

    public static FieldBuilder<TSource, TReturn> Requires<TSource, TReturn>(
        this FieldBuilder<TSource, TReturn> field, string permission, string? audit = null, string? rateLimit = null)
    {
        field.FieldType.Metadata[PermissionKey] = permission;
        return field.ApplyMiddleware(next => async context =>
        {
            // Before the permission and outside the audit, as REST's rate limiter runs before authorization and the audit trail.
            if (rateLimit is not null)
            {
                Ration(context, rateLimit);
            }

            try
            {
                Demand(context, permission);
                var result = await next(context);
                Record(context, audit, StatusCodes.Status200OK);
                return result;
            }
            catch (GalaxyExecutionError refused)
            {
                Record(context, audit, refused.Status);
                throw;
            }
            catch (Exception failure) when (failure is not ExecutionError && GraphQLErrors.From(failure, GalaxyUserContext.Of(context).Http) is { } error)
            {
                Record(context, audit, error.Status);
                throw error;
            }
            catch
            {
                Record(context, audit, StatusCodes.Status500InternalServerError);
                throw;
            }
        });
    }

    /// <summary>The permission a field needs; null for one that only needs a signed-in caller.</summary>
    public static string? Of(FieldType field) => field.Metadata.TryGetValue(PermissionKey, out var permission) ? permission as string : null;

    private static void Demand(IResolveFieldContext context, string permission)
    {
        var user = context.User;
        if (user is null || !Permissions.Matrix[permission].Any(user.IsInRole))
        {
            throw new GalaxyExecutionError(
                $"Your role does not hold the '{permission}' permission that {context.FieldDefinition.Name} needs.", "forbidden",
                StatusCodes.Status403Forbidden);
        }
    }

    private static void Ration(IResolveFieldContext context, string group)
    {
        if (RateLimits.RateLimitSetup.Refusal(GalaxyUserContext.Of(context).Http, group) is { } retryAfter)
        {
            throw GraphQLErrors.From(Problems.RateLimited(group, retryAfter));
        }
    }

    private static void Record(IResolveFieldContext context, string? audit, int status)
    {
        if (audit is not null)
        {
            GalaxyUserContext.Of(context).Audited.Add((audit, context.FieldDefinition.Name, status));
        }
    }
}
