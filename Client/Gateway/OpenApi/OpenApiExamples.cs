using System.Text.Json.Nodes;
using Galaxy.Contracts;

namespace Galaxy.Gateway.OpenApi;

/// <summary>An example of each request body, as a client would send it, for the document's schemas.</summary>
internal static class OpenApiExamples
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(SignInRequest)] = """{"username":"lead","password":"correct horse battery staple","totp":null}""",
        [typeof(RefreshRequest)] = """{"refreshToken":"rt_9f2c…"}""",
        [typeof(CreateApiKeyRequest)] = """{"name":"checkout-service"}""",
        [typeof(PredictRequest)] = """{"input":[0.1,0.0,0.5,1.0],"timeoutMs":50}""",
        [typeof(LearnRequest)] = """{"input":[0.1,0.0,0.5,1.0],"target":[0,1],"timeoutMs":200}""",
        [typeof(BulkPredictRequest)] = """{"units":[8,9],"inputs":[[0.1,0.0,0.5,1.0],[0.2,0.4,0.0,1.0]],"timeoutMs":100}""",
        [typeof(TickRequest)] = """{"input":[0.1,0.0,0.5,1.0]}""",
        [typeof(CreateModelRequest)] = """{"name":"digits","description":"Handwritten digits, 8×8","tags":{"team":"vision"}}""",
        [typeof(UpdateModelRequest)] = """{"description":"Handwritten digits, 8×8 (optdigits)","tags":{"team":"vision"}}""",
        [typeof(RegisterVersionRequest)] = """{"inputs":2,"hidden":3,"outputs":2,"loss":"CrossEntropy","weights":[0.1,0.2,0.3,0.4,0.5,0.6,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.1,0.2],"classes":["no","yes"]}""",
        [typeof(StatusChangeRequest)] = """{"reason":"passed review"}""",
        [typeof(SetAliasRequest)] = """{"version":3}""",
        [typeof(EvaluateRequest)] = """{"dataset":"optdigits-test"}""",
        [typeof(TrainingJobSpec)] = """{"model":"digits","dataset":"optdigits-train","epochs":30,"grid":{"learningRates":[0.05,0.1],"seeds":[1,2]}}""",
        [typeof(DeploymentSpec)] = """{"version":"latest","labscapes":[0,1,2,3],"canary":{"steps":[10,50,100],"intervalSeconds":30,"minSamples":200},"reason":"new digits model"}""",
        [typeof(CanarySpec)] = """{"steps":[10,50,100],"intervalSeconds":30,"minSamples":200,"maxLatencyP95Ms":100,"minAccuracy":0.975}""",
        [typeof(RollbackRequest)] = """{"reason":"accuracy dropped after the data change"}""",
        [typeof(ApprovalRequestSpec)] = """{"model":"digits","version":"latest","reason":"accuracy below the auto-approval bar"}""",
        [typeof(DecisionRequest)] = """{"approve":true,"comment":"reviewed the confusion matrix"}""",
        [typeof(InferenceRequest)] = """{"features":[0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0],"timeoutMs":100}""",
        [typeof(AnalyzeBody)] = """{"model":"digits","version":"latest","fineTuneEpochs":20,"distillEpochs":60}""",
        [typeof(OptimizeBody)] = """{"technique":"combined","fineTuneEpochs":20}""",
        [typeof(ThresholdsBody)] = """{"latencyP95WarningMs":80,"latencyP95CriticalMs":100,"accuracyWarning":0.98,"accuracyCritical":0.975}""",
        [typeof(AcknowledgeBody)] = """{"comment":"looking into it"}""",
        [typeof(FeedbackRequest)] = """{"requestId":"01939c6e-7b7a-7cc1-9a51-0c1e8d3f2a10","label":"0"}""",
    };

    public static JsonNode? For(Type type) => Examples.TryGetValue(type, out var json) ? JsonNode.Parse(json) : null;
}
