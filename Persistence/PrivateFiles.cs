namespace Galaxy.Persistence;

/// <summary>Writes secrets to files only their owner can read (mode 600), created that way rather than narrowed after.</summary>
public static class PrivateFiles
{
    // UTF-8 without a byte-order mark: these files are read by people and shell tools as much as by programs.
    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, Utf8, options);
        writer.Write(content);
    }
}
