using Microsoft.AspNetCore.Authentication.Cookies;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// The browser's session for the dashboard: an HTTP-only, same-site-strict cookie scoped to <c>/dashboard</c>, made
/// from a bearer token by <c>POST /signin/session</c>. It is honoured on the dashboard's paths only, so it can never
/// carry a mutating API call.
/// </summary>
internal static class DashboardSession
{
    public const string Scheme = "DashboardSession";
    public const string PathPrefix = "/dashboard";

    public static bool Covers(PathString path) => path.StartsWithSegments(PathPrefix);

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "galaxy_dashboard";
        options.Cookie.Path = PathPrefix;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(1);
        options.SlidingExpiration = false;
        // Browsers go to the sign-in page; scripts get the 401 they can act on.
        options.Events.OnRedirectToLogin = context =>
        {
            if (context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.Ordinal) == true))
            {
                context.Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }
}
