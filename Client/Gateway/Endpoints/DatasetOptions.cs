using System.ComponentModel.DataAnnotations;

namespace Galaxy.Gateway.Endpoints;

/// <summary>Dataset uploads, bound from <c>Galaxy:Datasets</c> and validated at start.</summary>
public sealed class DatasetOptions
{
    public const string Section = "Galaxy:Datasets";

    /// <summary>
    /// The largest CSV <c>POST /v1/datasets</c> takes (413 beyond it). Uploads stream, so this bounds the rows parsed
    /// into memory, not a buffer; the gateway's 4 MiB cap on other bodies does not apply to them.
    /// </summary>
    [Range(typeof(long), "1", "1073741824")]
    public long MaxUploadBytes { get; set; } = 64 * 1024 * 1024;
}
