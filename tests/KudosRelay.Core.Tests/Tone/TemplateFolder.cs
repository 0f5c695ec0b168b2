namespace KudosRelay.Core.Tests.Tone;

/// <summary>An operator's template folder (<c>{Feature}/{language}.yaml</c>) in a temporary directory, deleted after the test.</summary>
internal sealed class TemplateFolder : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kudosrelay-messages-");

    public string Path => directory.FullName;

    public void Write(string relativePath, string text)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose() => directory.Delete(recursive: true);
}
