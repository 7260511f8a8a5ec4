namespace Galaxy.Registry.PersonalData;

/// <summary>
/// Says whether a CSV field, or a column's name, looks like personal data: an e-mail address, a phone number written as
/// one (a leading <c>+</c> or separators, 7 to 15 digits), a US social security number (<c>123-45-6789</c>) or a payment
/// card number (13 to 19 digits that pass the Luhn check). Deliberately cheap: it runs on every field of an upload, and
/// plain numbers (<c>0.25</c>, <c>16</c>, <c>1234567</c>) are turned away after a glance.
/// </summary>
public static class PersonalDataDetector
{
    public const string Email = "e-mail address";
    public const string Phone = "phone number";
    public const string NationalId = "national id";
    public const string CardNumber = "payment card number";
    public const string NamedColumn = "column named as personal data";

    // Whole words of a column's name (split at anything but letters and digits, and at camel case).
    private static readonly HashSet<string> PersonalNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "email", "mail", "phone", "telephone", "mobile", "ssn", "passport", "iban", "creditcard", "cardnumber", "pan", "nationalid",
        "dob", "birthdate",
    };

    /// <summary>What kind of personal data <paramref name="field"/> looks like, or null.</summary>
    public static string? Classify(ReadOnlySpan<char> field)
    {
        field = field.Trim();
        if (field.Length < 7 || field.Length > 254)
        {
            return null;
        }

        var at = field.IndexOf('@');
        if (at > 0)
        {
            var domain = field[(at + 1)..];
            return domain.IndexOf('@') < 0 && domain.IndexOf('.') > 0 && domain[^1] != '.' && field.IndexOfAny(" ,;") < 0 ? Email : null;
        }

        int digits = 0, separators = 0;
        foreach (var c in field)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is ' ' or '-' or '(' or ')' or '.' or '/')
            {
                separators++;
            }
            else if (c != '+')
            {
                return null;
            }
        }

        if (field.Length == 11 && digits == 9 && field[3] == '-' && field[6] == '-')
        {
            return NationalId;
        }

        if (digits is >= 13 and <= 19 && separators <= 4 && field.IndexOf('.') < 0 && field.IndexOf('+') < 0 && PassesLuhn(field))
        {
            return CardNumber;
        }

        // Written as a phone number: a leading + or the separators people write them with; not a negative number or a date.
        var written = field[0] == '+' || (field[0] != '-' && field.IndexOfAny("()- ") >= 0);
        return digits is >= 7 and <= 15 && written && field.IndexOf('.') < 0 && field.LastIndexOf('+') <= 0 && !IsDate(field) ? Phone : null;
    }

    private static bool IsDate(ReadOnlySpan<char> field) =>
        field.Length >= 10 && field[4] == '-' && field[7] == '-' && char.IsAsciiDigit(field[0]) && char.IsAsciiDigit(field[5]);

    /// <summary>Whether a column's name says it holds personal data (<c>email</c>, <c>customerPhone</c>, <c>ssn</c>, …).</summary>
    public static bool IsPersonalName(string column)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        for (var i = 0; i < column.Length; i++)
        {
            var c = column[i];
            if (!char.IsLetterOrDigit(c) || (char.IsUpper(c) && i > 0 && char.IsLower(column[i - 1])))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        // "e_mail", "credit card", "national_id": adjacent words joined count as one.
        return words.Any(PersonalNames.Contains) || words.Zip(words.Skip(1), string.Concat).Any(PersonalNames.Contains);
    }

    private static bool PassesLuhn(ReadOnlySpan<char> field)
    {
        int sum = 0, position = 0;
        for (var i = field.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(field[i]))
            {
                continue;
            }

            var digit = field[i] - '0';
            if (position++ % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
