namespace Galaxy.Gateway.Tests;

/// <summary>What an attacker with the database's credentials would run against the audit chain.</summary>
internal static class AuditTampering
{
    /// <summary>
    /// The attack: row <paramref name="seq"/>'s principal changed, every later hash recomputed with the schema's
    /// own hash function, the head moved. It starts from the row's own link, so it works on a chain whose earlier
    /// months were archived.
    /// </summary>
    public static string RewriteFrom(long seq, string principal) => $"""
        DO $$
        DECLARE r galaxy_audit%ROWTYPE; prev bytea;
        BEGIN
            SELECT prev_hash INTO prev FROM galaxy_audit WHERE seq = {seq};
            FOR r IN SELECT * FROM galaxy_audit WHERE seq >= {seq} ORDER BY seq LOOP
                IF r.seq = {seq} THEN r.principal := '{principal}'; END IF;
                UPDATE galaxy_audit SET principal = r.principal, prev_hash = prev,
                    hash = galaxy_audit_hash(prev, r.seq, r.at, r.principal, r.action, r.target, r.outcome, r.request_digest, r.trace_id)
                WHERE seq = r.seq RETURNING hash INTO prev;
            END LOOP;
            UPDATE galaxy_audit_head SET hash = prev;
        END $$
        """;
}
