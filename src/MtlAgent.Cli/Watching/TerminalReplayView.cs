using System.Globalization;
using System.Text;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Cli.Output;
using MtlAgent.Envs;
using MtlAgent.Envs.Rendering;

namespace MtlAgent.Cli.Watching;

/// <summary>
/// Live replay in the terminal: each frame redrawn in place (ANSI colours), paced at a fixed rate, with the score,
/// the step, and the chosen action's name and Q-value, over a legend of the channel colours. Redirected output gets
/// the frames one after another.
/// </summary>
public sealed class TerminalReplayView : IReplayView
{
    private const string Home = "\u001b[H", ClearBelow = "\u001b[J", HideCursor = "\u001b[?25l", ShowCursor = "\u001b[?25h";
    private readonly TextWriter _out;
    private readonly FramePacer _pacer;
    private readonly bool _redraw;
    private readonly EnvSpec _spec;
    private readonly string _env;
    private int _index, _count;

    /// <summary>A view of <paramref name="env"/> writing to <paramref name="output"/> at <paramref name="fps"/> frames a second.</summary>
    public TerminalReplayView(TextWriter output, string env, double fps, bool redraw)
    {
        _out = output;
        _env = env;
        _spec = EnvRegistry.Spec(env);
        _pacer = new FramePacer(fps);
        _redraw = redraw;
        if (_redraw)
        {
            _out.Write(HideCursor + "\u001b[2J");
            // Ctrl+C ends the process without Dispose; give the cursor back first.
            Console.CancelKeyPress += RestoreCursor;
        }
    }

    /// <inheritdoc/>
    public void BeginEpisode(PolicyEpisode episode, int index, int count)
    {
        (_index, _count) = (index, count);
        Draw(episode, "start");
    }

    /// <inheritdoc/>
    public void Step(PolicyEpisode episode, PolicyStep step, IReadOnlyList<float> qValues)
    {
        string action = episode.ActionNames[step.Action];
        string how = step.Random ? "random" : "greedy";
        string q = step.QValue.ToString("0.000", CultureInfo.InvariantCulture);
        string reward = step.Reward != 0 ? $"  reward {step.Reward.ToString(CultureInfo.InvariantCulture)}" : "";
        string end = episode.Done ? (episode.Truncated ? "  (cut by the step cap)" : "  (game over)") : "";
        Draw(episode, $"action {action,-5} Q {q} ({how}){reward}{end}");
    }

    private void Draw(PolicyEpisode episode, string status)
    {
        var frame = new StringBuilder();
        if (_redraw) frame.Append(Home);
        frame.Append(CultureInfo.InvariantCulture, $"{_env}  episode {_index + 1}/{_count}  step {episode.Steps}  score {episode.Return}");
        frame.Append(_redraw ? ClearBelow + "\n" : "\n");
        frame.Append(AnsiRenderer.Render(episode.Observation, _spec.Channels, _spec.ChannelNames));
        frame.Append(status).Append(_redraw ? ClearBelow + "\n" : "\n");
        _pacer.WaitForNextFrame();
        _out.Write(frame.ToString());
        _out.Flush();
    }

    /// <inheritdoc/>
    public void Complete() { }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_redraw) return;
        Console.CancelKeyPress -= RestoreCursor;
        _out.Write(ShowCursor);
        _out.Flush();
    }

    private void RestoreCursor(object? sender, ConsoleCancelEventArgs e) => _out.Write(ShowCursor);
}
