namespace Galaxy.Kernels;

/// <summary>
/// The parameters of <see cref="Units"/> units sharing one <see cref="Architecture"/>, one packed row of
/// <see cref="MlpArchitecture.ParameterCount"/> floats per unit slot <c>0 … Units−1</c>, and the batched operations
/// on them. Every batch operation is one kernel launch in which each row uses its own unit's weights.
/// </summary>
/// <remarks>
/// <para>
/// Batches are row-major: row i of a batch addresses unit <c>slots[i]</c>, reads <c>inputs[i·D … i·D+D)</c> and
/// writes <c>outputs[i·K … i·K+K)</c>. Every argument is validated before anything is launched: a slot out of range,
/// a span of the wrong length, a NaN or infinity in inputs, targets or parameters, or more rows than
/// <see cref="IComputeBackend.MaxBatchRows"/> make the call itself throw (before it returns a task) an
/// <see cref="ArgumentException"/>, or its subclass <see cref="ArgumentOutOfRangeException"/>, whose message names
/// the offending row and column; the table is left untouched.
/// </para>
/// <para>
/// Caller memory must stay unchanged until the returned task completes. A table serves one caller at a time (a
/// labscape grain's turns give that); different tables may be used concurrently.
/// </para>
/// </remarks>
public interface IParameterTable : IDisposable
{
    MlpArchitecture Architecture { get; }

    int Units { get; }

    /// <summary>Replaces one unit's parameters (and clears its pruning mask: the mask belongs to the model it replaces).</summary>
    Task LoadUnitAsync(int slot, ReadOnlyMemory<float> parameters);

    /// <summary>Copies one unit's parameters into <paramref name="destination"/> (ParameterCount floats).</summary>
    Task ReadUnitAsync(int slot, Memory<float> destination);

    /// <summary>
    /// Bulk load, e.g. to rebuild a table from persisted state: <paramref name="parameters"/> holds n consecutive unit
    /// rows for slots <c>firstSlot … firstSlot+n−1</c>. Clears those units' pruning masks.
    /// </summary>
    Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters);

    /// <summary>Bulk read of n consecutive units starting at <paramref name="firstSlot"/> (n = destination length / P).</summary>
    Task ReadUnitsAsync(int firstSlot, Memory<float> destination);

    /// <summary>
    /// Gathers the listed units' parameters, row i of <paramref name="destination"/> (P floats) from unit
    /// <c>slots[i]</c>: one transfer for the rows a learn batch changed, however scattered.
    /// </summary>
    Task ReadUnitsAsync(ReadOnlyMemory<int> slots, Memory<float> destination);

    /// <summary>Forward pass for every row: <c>outputs[i] = MLP(slot[i])(inputs[i])</c>, the K linear outputs (no softmax).</summary>
    Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs);

    /// <summary>
    /// The galaxy tick for this table: a forward pass for every unit, unit u reading <c>inputs[u·D …]</c> and writing
    /// <c>outputs[u·K …]</c>. No slot indirection: the weights stream through once, in order.
    /// </summary>
    Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs);

    /// <summary>
    /// One fused forward + backward + SGD step per row (see <see cref="LearnSettings"/> and <see cref="LossKind"/>),
    /// updating the rows' units in the table. <paramref name="losses"/>[i] receives row i's loss before its step, or NaN
    /// when the step was rejected (it would have made the loss, the gradient norm or a parameter non-finite; the unit
    /// keeps its parameters). When <paramref name="learningRates"/> is given (one per row, finite and &gt; 0), row i
    /// steps with <c>learningRates[i]</c> instead of <see cref="LearnSettings.LearningRate"/>: a population of models
    /// with different learning rates then learns in one launch.
    /// </summary>
    /// <remarks>
    /// A slot may appear several times in one batch: its rows are applied one after another in batch order, each seeing
    /// the parameters the previous one left, exactly as if the rows had been sent one by one. (Rows are grouped by unit
    /// and one GPU group walks a unit's rows in order, so this stays one launch.)
    /// </remarks>
    Task<LearnResult> LearnStepAsync(
        ReadOnlyMemory<int> slots,
        ReadOnlyMemory<float> inputs,
        ReadOnlyMemory<float> targets,
        LearnSettings settings,
        Memory<float> losses,
        ReadOnlyMemory<float> learningRates = default);

    /// <summary>
    /// Zeroes the pruned parameters of every listed unit and keeps them zero in later learn steps, until the unit is
    /// loaded anew. The mask's architecture must be the table's.
    /// </summary>
    Task ApplyPruningMaskAsync(ReadOnlyMemory<int> slots, PruningMask mask);

    /// <summary>
    /// A snapshot of every unit quantised to int8 (an <see cref="IQuantizedTable"/> of as many units, loaded with this
    /// table's rows). Later changes to this table do not reach the snapshot.
    /// </summary>
    Task<IQuantizedTable> QuantizeAsync();
}

/// <summary>
/// Units served with int8 weights: one scale per row of W1 and W2, <c>W[r, c] ≈ scale[r]·q[r, c]</c> with
/// <c>scale[r] = max_c |W[r, c]| / 127</c> and q rounded to nearest (layout in <see cref="Int8Quantization"/>), biases
/// float. A forward pass runs on integer dot products (AVX-VNNI or AVX2 on the CPU, dp4a on CUDA): each row's input is
/// quantised on the fly, and so are the hidden activations.
/// </summary>
/// <remarks>
/// <para>
/// The forward pass, exactly (<see cref="ReferenceMlp.QuantizedForward"/> is its scalar definition):
/// <c>m = max_d |x_d|</c>, <c>s_x = m / 127</c>, <c>xq_d = round(x_d · (127 / m))</c> (0 when m = 0);
/// <c>a_h = tanh(s1_h·s_x · Σ_d W1q[h, d]·xq_d + b1_h)</c>, <c>aq_h = round(127·a_h)</c>;
/// <c>y_k = (s2_k / 127) · Σ_h W2q[k, h]·aq_h + b2_k</c>. Rounding is to nearest, ties to even; the sums are exact int32.
/// </para>
/// <para>
/// Error bound against the <b>dequantised</b> model (the fp32 model whose weights are <c>scale·q</c>): the input's
/// rounding moves hidden pre-activation h by at most <c>e_h = s1_h · (s_x / 2) · Σ_d |W1q[h, d]|</c> (tanh is
/// 1-Lipschitz), the activation's rounding adds <c>1/254</c>, so each output is within
/// <c>s2_k · Σ_h |W2q[k, h]| · (e_h + 1/254)</c>, plus float rounding. Against the original fp32 model add the weights'
/// rounding: with <c>ε_h = (s1_h / 2)·‖x‖₁</c>, <c>Σ_h |W2[k, h]|·ε_h + (s2_k / 2)·Σ_h (|a_h| + ε_h)</c> (a: the fp32
/// hidden activations). <see cref="ReferenceMlp.QuantizationErrorBound"/> computes both.
/// </para>
/// <para>
/// Backends agree with the scalar definition up to float rounding, except where a hidden activation lies within
/// rounding of a tie (<c>127·a_h</c> at .5): there the two may round it to neighbouring steps, which moves output k by
/// <c>s2_k·|W2q[k, h]| / 127</c>. Same validation as <see cref="IParameterTable"/>; one caller at a time.
/// </para>
/// </remarks>
public interface IQuantizedTable : IDisposable
{
    MlpArchitecture Architecture { get; }

    int Units { get; }

    /// <summary>
    /// Quantises n consecutive fp32 unit rows (n × P floats, the packed layout of <see cref="MlpArchitecture"/>) into
    /// slots <c>firstSlot … firstSlot+n−1</c>.
    /// </summary>
    Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters);

    /// <summary>Forward pass with the int8 weights; batch layout and validation as <see cref="IParameterTable.ForwardAsync"/>.</summary>
    Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs);

    /// <summary>The tick for this table, as <see cref="IParameterTable.ForwardAllAsync"/>: the int8 rows stream through once, in order.</summary>
    Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs);
}
