using System.Text.Json;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Runs.TensorBoard.Proto;

namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>
/// The run's TensorBoard event files (setting <c>run.tensorboard</c>), in the run directory itself so that
/// <c>tensorboard --logdir checkpoints</c> shows every run. <see cref="MetricsLog"/> hands it each row it writes, and the
/// row becomes one event of scalars (<see cref="RowScalars"/>) at step <c>frames_per_game</c>, appended and flushed at once.
/// Each process writes a file of its own, opened by a <see cref="SessionLog"/> START event; on resume,
/// <see cref="TruncateAfter"/> first removes from the earlier files what the resumed run will write again.
/// README.md, "TensorBoard".
/// </summary>
public sealed class TensorBoardLog(string directory, Func<double>? unixSeconds = null)
{
    private readonly EventFileWriter _writer = new(directory, unixSeconds);

    /// <summary>The directory of the event files (the run directory).</summary>
    public string Directory { get; } = directory;

    /// <summary>This process's event file, once something has been written.</summary>
    public string? Path => _writer.Path;

    /// <summary>
    /// Marks this process's start at <paramref name="framesPerGame"/> (the checkpoint resumed, or 0): a
    /// <see cref="SessionLog"/> START at the next step, the first a new row can have. TensorBoard, on reading it, drops the
    /// events it already holds at that step or later, which is what <see cref="TruncateAfter"/> drops from the files.
    /// </summary>
    public void Start(long framesPerGame, string? checkpoint)
    {
        var start = new SessionLog
        {
            Status = SessionLog.Types.SessionStatus.Start,
            CheckpointPath = checkpoint ?? "",
            Msg = checkpoint is null ? "started" : $"resumed at {framesPerGame} frames per game",
        };
        _writer.Append([new Event { WallTime = _writer.Now(), Step = framesPerGame + 1, SessionLog = start }]);
    }

    /// <summary>Appends the scalars of one <c>metrics.jsonl</c> row (its JSON text) as one event.</summary>
    public void Append(string row)
    {
        using var doc = JsonDocument.Parse(row);
        var (step, scalars) = RowScalars.Of(doc.RootElement);
        if (scalars.Count == 0) return;
        var summary = new Summary();
        foreach (var (tag, value) in scalars) summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = value });
        _writer.Append([new Event { WallTime = _writer.Now(), Step = step, Summary = summary }]);
    }

    /// <summary>
    /// Keeps, in every event file of the directory, only the complete records with checksums that hold and a step of at
    /// most <paramref name="framesPerGame"/> (the checkpoint resumed): a file that changes is rewritten atomically
    /// (<see cref="Durable"/>), one left with nothing but its version record is deleted. A torn or damaged record ends
    /// what is kept of its file, as nothing after it can be framed with confidence.
    /// </summary>
    public void TruncateAfter(long framesPerGame)
    {
        bool deleted = false;
        foreach (var path in TensorBoardEvents.Files(Directory))
        {
            var scan = TfRecord.Scan(File.ReadAllBytes(path));
            var kept = scan.Records.Select(r => (Record: r, Event: TensorBoardEvents.Parse(r, path)))
                .Where(r => r.Event.Step <= framesPerGame).ToList();
            if (kept.Count == scan.Records.Count && scan.Defect is null) continue;
            if (kept.All(r => r.Event.WhatCase == Event.WhatOneofCase.FileVersion))
            {
                File.Delete(path);
                deleted = true;
                continue;
            }
            Durable.Write(path, s =>
            {
                foreach (var r in kept) s.Write(r.Record.Framed.Span);
            });
        }
        if (deleted) Durable.SyncDirectory(Directory);
    }
}
