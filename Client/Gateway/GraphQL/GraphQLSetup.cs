using GraphQL;

namespace Galaxy.Gateway.GraphQL;

/// <summary>GraphQL's schema, serializer and limits in the container.</summary>
internal static class GraphQLSetup
{
    /// <summary>Deepest selection a query may nest: the schema's deepest real path (model → performance → resources → cpu) with room to spare.</summary>
    public const int MaxDepth = 8;

    /// <summary>The complexity budget: a page of models with their deployments and performance fits; a query that would fan out far more does not.</summary>
    public const int MaxComplexity = 2_000;

    public static WebApplicationBuilder AddGalaxyGraphQL(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPerformanceSource, VersionMonitorPerformance>();
        builder.Services.AddSingleton<PerformanceLogReports>();
        builder.Services.AddGraphQL(graphql => graphql
            .AddSchema<GalaxySchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(GalaxySchema).Assembly)
            .AddComplexityAnalyzer(complexity =>
            {
                complexity.MaxDepth = MaxDepth;
                complexity.MaxComplexity = MaxComplexity;
            }));
        return builder;
    }
}
