using Galaxy.Contracts;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// The seed's <c>OptimizationConfig</c>: which version (number, latest or alias; latest by default), a technique preset
/// (<c>int8</c>, <c>prune</c>, <c>distill</c>, <c>combined</c>) and the plan's fields, as the REST body takes them.
/// </summary>
internal sealed class OptimizationConfigType : InputObjectGraphType<OptimizationConfig>
{
    public OptimizationConfigType()
    {
        Name = "OptimizationConfig";
        Field<StringGraphType>("version");
        Field<StringGraphType>("technique");
        Field<FloatGraphType>("pruneFraction");
        Field<IntGraphType>("fineTuneEpochs");
        Field<IntGraphType>("studentHidden");
        Field<BooleanGraphType>("ensembleTeacher");
        Field<IntGraphType>("ensembleSize");
        Field<IntGraphType>("distillEpochs");
        Field<BooleanGraphType>("int8");
        Field<StringGraphType>("dataset");
    }
}

internal sealed record OptimizationConfig(
    string? Version, string? Technique, double? PruneFraction, int? FineTuneEpochs, int? StudentHidden, bool? EnsembleTeacher, int? EnsembleSize,
    int? DistillEpochs, bool? Int8, string? Dataset);

/// <summary>The seed's <c>OptimizationResult</c>: the version made, its parent, its technique and how it did.</summary>
internal sealed class OptimizationResultType : ObjectGraphType<OptimizedVersionResponse>
{
    public OptimizationResultType()
    {
        Name = "OptimizationResult";
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(context => context.Source.Version.ModelName);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(context => context.Source.Version.Version);
        Field<IntGraphType>("parentVersion").Resolve(context => context.Source.Version.Lineage.ParentVersion);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(context => System.Text.Json.JsonSerializer.Serialize(context.Source.Version.Status).Trim('"'));
        Field<NonNullGraphType<StringGraphType>>("technique").Resolve(context => context.Source.Outcome.Technique);
        Field<NonNullGraphType<StringGraphType>>("architecture")
            .Resolve(context => $"{context.Source.Outcome.Shape.Inputs}-{context.Source.Outcome.Shape.Hidden}-{context.Source.Outcome.Shape.Outputs}");
        Field<NonNullGraphType<FloatGraphType>>("accuracy").Resolve(context => context.Source.Outcome.Accuracy);
        Field<NonNullGraphType<FloatGraphType>>("keptRatio").Resolve(context => context.Source.Outcome.KeptRatio);
        Field<NonNullGraphType<LongGraphType>>("parameterBytes").Resolve(context => context.Source.Outcome.ParameterBytes);
        Field<NonNullGraphType<FloatGraphType>>("rowsPerSecond").Resolve(context => context.Source.Outcome.RowsPerSecond);
    }
}
