using Galaxy.Persistence.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>
/// The gateway's part in the audit chain: appending requests (<see cref="AuditLog"/>), verifying in the application
/// (<see cref="AuditChain"/>), and, when <c>Galaxy:Audit:SigningKeyFile</c> is set, signing checkpoints for the witness
/// every <c>CheckpointIntervalSeconds</c> (<see cref="AuditCheckpointService"/>).
/// </summary>
internal static class AuditSetup
{
    public static WebApplicationBuilder AddGalaxyAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditLog>());
        builder.Services.AddSingleton<AuditChain>();
        builder.Services.AddHttpClient(nameof(WebhookWitness));
        builder.Services.AddSingleton(services => CreateWriter(services));
        builder.Services.AddHostedService<AuditCheckpointService>();
        return builder;
    }

    /// <summary>The checkpoint writer, or none when this gateway holds no signing key.</summary>
    private static AuditCheckpoints CreateWriter(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        var folder = options.WitnessDirectory is { } directory ? new FolderWitness(directory) : null;
        if (options.SigningKeyFile is not { } keyFile)
        {
            return new AuditCheckpoints(null, folder);
        }

        var witnesses = new List<IAuditWitness>();
        if (folder is not null)
        {
            witnesses.Add(folder);
        }

        if (options.WitnessUrl is { } url)
        {
            witnesses.Add(new WebhookWitness(services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookWitness)), url));
        }

        var writer = new AuditCheckpointWriter(
            services.GetRequiredService<NpgsqlDataSource>(), AuditSigningKey.Load(keyFile, options.CreateSigningKey), witnesses, folder,
            services.GetRequiredService<TimeProvider>());
        return new AuditCheckpoints(writer, folder);
    }
}

/// <summary>This gateway's checkpoint writer (null without a signing key) and the witness folder verification reads.</summary>
public sealed record AuditCheckpoints(AuditCheckpointWriter? Writer, FolderWitness? Folder);
