using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Galaxy.Kernels;

/// <summary>
/// The argument checks every backend runs before it launches anything, so a bad batch fails alike everywhere with an
/// <see cref="ArgumentException"/> that names the offending row, and never reaches a kernel.
/// </summary>
internal readonly record struct BatchValidator(MlpArchitecture Architecture, int Units, int MaxBatchRows)
{
    private int D => Architecture.Inputs;

    private int K => Architecture.Outputs;

    private int P => Architecture.ParameterCount;

    public void Forward(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, int outputsLength)
    {
        Slots(slots);
        RowMajor(inputs.Length, slots.Length, D, "inputs");
        RowMajor(outputsLength, slots.Length, K, "outputs");
        Finite(inputs, D, "inputs");
    }

    public void ForwardAll(ReadOnlySpan<float> inputs, int outputsLength)
    {
        RowMajor(inputs.Length, Units, D, "inputs");
        RowMajor(outputsLength, Units, K, "outputs");
        Finite(inputs, D, "inputs");
    }

    public void Learn(
        ReadOnlySpan<int> slots,
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<float> targets,
        LearnSettings settings,
        int lossesLength,
        ReadOnlySpan<float> learningRates)
    {
        settings.Validate();
        Slots(slots);
        RowMajor(inputs.Length, slots.Length, D, "inputs");
        RowMajor(targets.Length, slots.Length, K, "targets");
        RowMajor(lossesLength, slots.Length, 1, "losses");
        Finite(inputs, D, "inputs");
        Finite(targets, K, "targets");
        if (settings.Loss == LossKind.CrossEntropy)
        {
            NonNegative(targets, K, "targets");
        }

        if (!learningRates.IsEmpty)
        {
            RowMajor(learningRates.Length, slots.Length, 1, "learningRates");
            for (var row = 0; row < learningRates.Length; row++)
            {
                if (!float.IsFinite(learningRates[row]) || learningRates[row] <= 0f)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(learningRates), learningRates[row], $"learningRates[{row}] must be finite and > 0.");
                }
            }
        }
    }

    public void Gather(ReadOnlySpan<int> slots, int destinationLength)
    {
        Slots(slots);
        RowMajor(destinationLength, slots.Length, P, "destination");
    }

    public void PruningMask(ReadOnlySpan<int> slots, PruningMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Architecture != Architecture)
        {
            throw new ArgumentException(
                $"The mask is for architecture {mask.Architecture}, the table holds {Architecture}.", nameof(mask));
        }

        Slots(slots);
    }

    /// <summary>Checks a bulk load or read of consecutive units and returns how many units it spans.</summary>
    public int UnitRange(int firstSlot, int length, string name)
    {
        if (length % P != 0)
        {
            throw new ArgumentException($"{name} holds {length} floats, not a whole number of {P}-parameter units.", name);
        }

        var count = length / P;
        if (firstSlot < 0 || firstSlot > Units - count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(firstSlot), firstSlot, $"Units {firstSlot}…{firstSlot + count - 1} do not lie in the table's 0…{Units - 1}.");
        }

        return count;
    }

    public void Parameters(ReadOnlySpan<float> parameters, string name) => Finite(parameters, P, name);

    private void Slots(ReadOnlySpan<int> slots)
    {
        if (slots.Length > MaxBatchRows)
        {
            throw new ArgumentException(
                $"A batch of {slots.Length} rows exceeds the backend's MaxBatchRows of {MaxBatchRows}.", nameof(slots));
        }

        for (var row = 0; row < slots.Length; row++)
        {
            if ((uint)slots[row] >= (uint)Units)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(slots), slots[row], $"slots[{row}] = {slots[row]} is not a unit of this table (0…{Units - 1}).");
            }
        }
    }

    private static void RowMajor(int length, int rows, int width, string name)
    {
        if (length != (long)rows * width)
        {
            throw new ArgumentException(
                $"{name} holds {length} floats; {rows} rows of {width} need {(long)rows * width}.", name);
        }
    }

    private static void Finite(ReadOnlySpan<float> values, int width, string name)
    {
        var index = IndexOfNonFinite(values);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"{name}[row {index / width}, column {index % width}] is {values[index].ToString(CultureInfo.InvariantCulture)}; every value must be finite.",
                name);
        }
    }

    private static void NonNegative(ReadOnlySpan<float> values, int width, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0f)
            {
                throw new ArgumentException(
                    $"{name}[row {i / width}, column {i % width}] is {values[i]}; cross-entropy targets are probabilities (≥ 0).",
                    name);
            }
        }
    }

    /// <summary>The index of the first NaN or infinity, or −1. Vectorised: <c>v − v</c> is 0 exactly when v is finite.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        var start = 0;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (; start < vectors.Length; start++)
        {
            var v = vectors[start];
            if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
            {
                break;
            }
        }

        for (var i = start * Vector<float>.Count; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
