namespace Galaxy.Contracts;

/// <summary><c>POST /v1/models/{id}/inference</c>: raw features (the version standardises them); optionally give up after <c>TimeoutMs</c>.</summary>
public sealed record InferenceRequest(float[]? Features, int? TimeoutMs = null);

/// <summary>
/// An answer: which unit and version answered, the model's outputs and, for a classifier, the class probabilities
/// (softmax) and the predicted label. <c>RequestId</c> names it in feedback.
/// </summary>
public sealed record InferenceResponse(
    Guid RequestId, string Model, int Version, long UnitId, float[] Output, float[]? Probabilities, string? Label);

/// <summary><c>POST /v1/models/{id}/feedback</c>: the true label of an answered request.</summary>
public sealed record FeedbackRequest(Guid? RequestId, string? Label);

/// <summary>Whether the answer was right and, when the model learns from feedback, the unit's step.</summary>
public sealed record FeedbackResponse(Guid RequestId, string Version, bool Correct, bool Learned, long? Revision);
