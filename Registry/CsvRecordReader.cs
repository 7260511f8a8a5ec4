using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Galaxy.Registry;

/// <summary>
/// Splits a UTF-8 CSV stream into records, one at a time into a reused buffer: RFC 4180 (comma-separated, a field may be
/// in double quotes, <c>""</c> is a quote inside one, and a quoted field may span lines); <c>\n</c> or <c>\r\n</c> end a
/// line; a byte-order mark is skipped. It hashes and counts the raw bytes as they stream past and stops at the limit,
/// so a file is read once and never held whole.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    /// <summary>No number or label needs more, and a runaway field cannot fill memory.</summary>
    public const int MaxFieldLength = 1_024;

    private readonly Stream _stream;
    private readonly long _maxBytes;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    // Invalid bytes decode to U+FFFD, which the caller refuses where it finds it: at its own line and column.
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly byte[] _bytes = new byte[64 * 1024];
    private readonly char[] _chars;
    private readonly List<int> _fieldEnds = [];
    private char[] _record = new char[4 * 1024];
    private int _recordLength;
    private int _charPosition;
    private int _charCount;
    private bool _endOfInput;
    private bool _startOfInput = true;
    private int _line = 1;
    private State _state;
    private bool _recordHasContent;

    public CsvRecordReader(Stream stream, long maxBytes)
    {
        _stream = stream;
        _maxBytes = maxBytes;
        _chars = new char[Encoding.UTF8.GetMaxCharCount(_bytes.Length)];
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,

        /// <summary>A quote inside a quoted field: either the first of a doubled quote, or the field's end.</summary>
        QuoteInQuoted,

        /// <summary>A carriage return outside quotes, which only a line feed may follow.</summary>
        CarriageReturn,
    }

    /// <summary>The bytes read so far; all of them once <see cref="ReadAsync"/> has returned false.</summary>
    public long Bytes { get; private set; }

    /// <summary>The line the current record starts on (1-based).</summary>
    public int Line { get; private set; }

    public int FieldCount => _fieldEnds.Count;

    /// <summary>Fields past this many are not kept; <see cref="TooManyFields"/> says the current record had more.</summary>
    public int MaxFields { get; set; } = int.MaxValue;

    public bool TooManyFields { get; private set; }

    /// <summary>The current record is an empty line.</summary>
    public bool IsBlank => !_recordHasContent;

    /// <summary>The header's names, for errors that name a column.</summary>
    public IReadOnlyList<string>? ColumnNames { get; set; }

    public ReadOnlySpan<char> Field(int index)
    {
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _record.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>A column's name where the header gives one, else its 1-based position.</summary>
    public string ColumnOf(int index) =>
        ColumnNames is { } names && index < names.Count ? names[index] : (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>SHA-256 (hex) of the bytes read so far: of the whole file once <see cref="ReadAsync"/> has returned false.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    /// <summary>Reads the next record; false at the end of the input.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _recordLength = 0;
        _fieldEnds.Clear();
        _state = State.FieldStart;
        _recordHasContent = false;
        TooManyFields = false;
        Line = _line;
        while (true)
        {
            if (_charPosition == _charCount && !await FillAsync(cancellationToken))
            {
                return EndOfInput();
            }

            if (ScanBuffered())
            {
                return true;
            }
        }
    }

    public void Dispose() => _hash.Dispose();

    /// <summary>Consumes decoded characters until the record ends (true) or the buffer does (false).</summary>
    private bool ScanBuffered()
    {
        while (_charPosition < _charCount)
        {
            var c = _chars[_charPosition++];
            switch (_state, c)
            {
                case (State.Quoted, '"'):
                    _state = State.QuoteInQuoted;
                    break;
                case (State.Quoted, _):
                    _line += c == '\n' ? 1 : 0;
                    Append(c);
                    break;
                case (_, '\n'):
                    _line++;
                    EndField();
                    return true;
                case (State.CarriageReturn, _):
                    throw new CsvDatasetException(_line, null, "a carriage return not followed by a line feed");
                case (_, ','):
                    _recordHasContent = true;
                    EndField();
                    _state = State.FieldStart;
                    break;
                case (_, '\r'):
                    _state = State.CarriageReturn;
                    break;
                case (State.FieldStart, '"'):
                    _recordHasContent = true;
                    _state = State.Quoted;
                    break;
                case (State.QuoteInQuoted, '"'):
                    Append('"');
                    _state = State.Quoted;
                    break;
                case (State.QuoteInQuoted, _):
                    throw new CsvDatasetException(_line, ColumnOf(FieldCount), "text after a field's closing quote");
                case (State.Unquoted, '"'):
                    throw new CsvDatasetException(
                        _line, ColumnOf(FieldCount), "a quote inside an unquoted field (quote the whole field and double the quote)");
                default:
                    Append(c);
                    _state = State.Unquoted;
                    break;
            }
        }

        return false;
    }

    private bool EndOfInput()
    {
        if (_state == State.Quoted)
        {
            throw new CsvDatasetException(Line, ColumnOf(FieldCount), "a quoted field is never closed");
        }

        // Nothing after the last line break: no record.
        if (!_recordHasContent && _state != State.CarriageReturn)
        {
            return false;
        }

        EndField();
        return true;
    }

    private void Append(char c)
    {
        _recordHasContent = true;
        var fieldStart = _fieldEnds.Count == 0 ? 0 : _fieldEnds[^1];
        if (_recordLength - fieldStart == MaxFieldLength)
        {
            throw new CsvDatasetException(_line, ColumnOf(FieldCount), $"a field longer than {MaxFieldLength} characters");
        }

        if (_recordLength == _record.Length)
        {
            Array.Resize(ref _record, _record.Length * 2);
        }

        _record[_recordLength++] = c;
    }

    private void EndField()
    {
        if (_fieldEnds.Count < MaxFields)
        {
            _fieldEnds.Add(_recordLength);
            return;
        }

        TooManyFields = true;
        _recordLength = _fieldEnds.Count == 0 ? 0 : _fieldEnds[^1];
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_endOfInput)
        {
            return false;
        }

        var read = await _stream.ReadAsync(_bytes, cancellationToken);
        _charPosition = 0;
        if (read == 0)
        {
            _endOfInput = true;
            _charCount = _decoder.GetChars([], _chars, flush: true);
            return _charCount > 0;
        }

        Bytes += read;
        if (Bytes > _maxBytes)
        {
            throw new DatasetTooLargeException(_maxBytes);
        }

        _hash.AppendData(_bytes, 0, read);
        _charCount = _decoder.GetChars(_bytes.AsSpan(0, read), _chars, flush: false);
        if (_startOfInput && _charCount > 0)
        {
            _startOfInput = false;
            _charPosition = _chars[0] == '\uFEFF' ? 1 : 0;
        }

        return true;
    }
}
