namespace Galaxy.Registry.Monitoring;

/// <summary>
/// One alert's change in one evaluation: the alert as it stands after it, whether it is new, and the events it went
/// through (<see cref="AlertEvents"/>; none when only its latest figure moved), each audited and sent to the webhooks.
/// </summary>
public sealed record AlertChange(AlertRow Alert, bool IsNew, IReadOnlyList<string> Events)
{
    public bool Escalates => Events.Contains(AlertEvents.Escalated);
}

/// <summary>
/// Turns an evaluation's judgements into changes of the firing alerts: a breach with no firing alert of its
/// fingerprint fires one (level 1); a breach that goes on updates it, raising it to critical when it gets worse (never
/// lowering it); a judged figure within its threshold resolves it, and so does a subject that is no longer reported (a
/// version no longer served, a silo gone). A firing alert nobody acknowledged escalates to level 2 once it has fired
/// <see cref="MonitoringOptions.Level2AfterSeconds"/> ago, to level 3 after <see cref="MonitoringOptions.Level3AfterSeconds"/>.
/// </summary>
public static class AlertBook
{
    public static List<AlertChange> Plan(
        IReadOnlyList<AlertRow> firing, IReadOnlyList<Judgement> judgements, DateTimeOffset now, MonitoringOptions options)
    {
        var open = firing.ToDictionary(alert => alert.Fingerprint);
        var changes = new List<AlertChange>();
        foreach (var judgement in judgements)
        {
            var alert = open.GetValueOrDefault(judgement.Fingerprint);
            open.Remove(judgement.Fingerprint);
            if (alert is null)
            {
                if (judgement.Breach is { } breach)
                {
                    changes.Add(new AlertChange(Fire(judgement, breach, now), true, [AlertEvents.Fired]));
                }

                continue;
            }

            if (judgement is { Judged: true, Breach: null })
            {
                changes.Add(Resolve(alert, now));
                continue;
            }

            var events = new List<string>();
            if (judgement.Breach is { } goingOn)
            {
                var raised = alert.Severity == AlertSeverities.Warning && goingOn.Severity == AlertSeverities.Critical;
                alert = alert with
                {
                    Value = goingOn.Value,
                    Summary = goingOn.Summary,
                    LastSeenAt = now,
                    Severity = raised ? goingOn.Severity : alert.Severity,
                    Threshold = raised || goingOn.Severity == alert.Severity ? goingOn.Threshold : alert.Threshold,
                };
                if (raised)
                {
                    events.Add(AlertEvents.Raised);
                }
            }

            var level = DueLevel(alert, now, options);
            if (level > alert.Level)
            {
                alert = alert with { Level = level, EscalatedAt = now };
                events.Add(AlertEvents.Escalated);
            }

            if (judgement.Breach is not null || events.Count > 0)
            {
                changes.Add(new AlertChange(alert, false, events));
            }
        }

        // Firing alerts whose subject reported nothing this time: the version is no longer served, the silo is gone.
        changes.AddRange(open.Values.Select(alert => Resolve(alert, now)));
        return changes;
    }

    /// <summary>The level an alert should have reached by <paramref name="now"/>: it stays where it is once acknowledged.</summary>
    public static int DueLevel(AlertRow alert, DateTimeOffset now, MonitoringOptions options)
    {
        if (alert.IsAcknowledged)
        {
            return alert.Level;
        }

        var lasted = now - alert.FiredAt;
        var due = lasted >= TimeSpan.FromSeconds(options.Level3AfterSeconds) ? 3 : lasted >= TimeSpan.FromSeconds(options.Level2AfterSeconds) ? 2 : 1;
        return Math.Max(alert.Level, due);
    }

    private static AlertRow Fire(Judgement judgement, Breach breach, DateTimeOffset now) => new(
        Guid.CreateVersion7(now), judgement.Fingerprint, judgement.Kind, judgement.Subject, judgement.ModelId, judgement.ModelName, judgement.Version,
        breach.Severity, AlertStates.Firing, 1, breach.Value, breach.Threshold, breach.Summary, now, now, null, null, null, null, null);

    private static AlertChange Resolve(AlertRow alert, DateTimeOffset now) =>
        new(alert with { State = AlertStates.Resolved, ResolvedAt = now, LastSeenAt = now }, false, [AlertEvents.Resolved]);
}
