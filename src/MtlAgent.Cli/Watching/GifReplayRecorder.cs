using MtlAgent.Agent.Evaluation;
using MtlAgent.Envs;
using MtlAgent.Envs.Rendering;

namespace MtlAgent.Cli.Watching;

/// <summary>
/// Records a replay as one animated GIF: the initial observation of each episode, then one frame per step.
/// Frames go to a temporary file that replaces <c>path</c> only when every episode has been recorded.
/// </summary>
public sealed class GifReplayRecorder : IReplayView
{
    /// <summary>Pixels per observation cell.</summary>
    public const int Scale = 8;

    private readonly string _path, _tempPath;
    private readonly FileStream _stream;
    private readonly GifWriter _gif;
    private readonly int _channels, _delayCentiseconds;
    private bool _complete;

    /// <summary>
    /// Starts recording <paramref name="env"/> to <paramref name="path"/>, each frame shown for 1/<paramref name="fps"/> s.
    /// </summary>
    public GifReplayRecorder(string path, string env, double fps)
    {
        _path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot write '{path}': directory '{dir}' does not exist");
        _tempPath = Path.Combine(dir, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.tmp");
        _channels = EnvRegistry.Spec(env).Channels;
        // GIF delays are whole hundredths of a second.
        _delayCentiseconds = Math.Clamp((int)Math.Round(100 / fps), 1, 65535);
        _stream = new FileStream(_tempPath, FileMode.Create, FileAccess.Write);
        _gif = new GifWriter(_stream, 10 * Scale, 10 * Scale, Palette.Colors);
    }

    /// <summary>Frames written so far.</summary>
    public int Frames { get; private set; }

    /// <inheritdoc/>
    public void BeginEpisode(PolicyEpisode episode, int index, int count) => AddFrame(episode);

    /// <inheritdoc/>
    public void Step(PolicyEpisode episode, PolicyStep step, IReadOnlyList<float> qValues) => AddFrame(episode);

    private void AddFrame(PolicyEpisode episode)
    {
        _gif.AddFrame(FrameRenderer.Indexed(episode.Observation, _channels, Scale), _delayCentiseconds);
        Frames++;
    }

    /// <inheritdoc/>
    public void Complete() => _complete = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        _gif.Dispose();
        _stream.Dispose();
        if (_complete) File.Move(_tempPath, _path, overwrite: true);
        else File.Delete(_tempPath);
    }
}
