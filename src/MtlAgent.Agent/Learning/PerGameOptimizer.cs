using MtlAgent.Agent.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// <c>learner.optimizer_state: per_game</c>: one optimizer per game over the same parameters, each stepped only by the
/// updates of its game (<see cref="Use"/> before the step). Under round-robin sampling an update holds one game, so every
/// parameter a game's gradient reaches, the shared trunk included, moves by that game's own RMSprop (or Adam) statistics,
/// as it would if the game trained alone; one shared state would normalise the trunk by the mixed gradients of all games
/// and decay each head's statistics on the other games' updates. Checkpoint keys are <c>game{g}.{name}</c>.
/// </summary>
public sealed class PerGameOptimizer : IFlatOptimizer
{
    private readonly IFlatOptimizer[] _games;
    private int _current;

    /// <summary>Game <c>g</c> uses <paramref name="games"/>[g]; all of them over the same flat parameters. Owns them.</summary>
    public PerGameOptimizer(IReadOnlyList<IFlatOptimizer> games)
    {
        if (games.Count == 0) throw new ArgumentException("at least one game's optimizer is needed", nameof(games));
        _games = games.ToArray();
    }

    /// <summary>The game whose optimizer the next <see cref="step"/> uses.</summary>
    public void Use(int game)
    {
        if (game < 0 || game >= _games.Length)
            throw new ArgumentOutOfRangeException(nameof(game), game, $"there are {_games.Length} games");
        _current = game;
    }

    /// <summary>The number of games, each with its optimizer.</summary>
    public int Games => _games.Length;

    /// <summary>Game <paramref name="game"/>'s optimizer.</summary>
    public IFlatOptimizer Of(int game) => _games[game];

    /// <inheritdoc />
    public long Steps => _games.Sum(o => o.Steps);

    /// <inheritdoc />
    public void zero_grad() => _games[_current].zero_grad();

    /// <inheritdoc />
    public void step() => _games[_current].step();

    /// <inheritdoc />
    public IEnumerable<(string Name, Tensor Tensor)> NamedState() =>
        _games.SelectMany((o, g) => o.NamedState().Select(s => (Key(g, s.Name), s.Tensor)));

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = NamedState().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in state.Keys)
        {
            if (!own.Contains(key))
                throw new ArgumentException(
                    $"per-game optimizer state has '{key}', which it does not use; it expects: {string.Join(", ", own)}", nameof(state));
        }
        // Every game's part is checked before any is copied, so a refused state changes nothing.
        var parts = _games.Select((o, g) => o.NamedState()
            .Where(s => state.ContainsKey(Key(g, s.Name)))
            .ToDictionary(s => s.Name, s => state[Key(g, s.Name)], StringComparer.Ordinal)).ToArray();
        for (int g = 0; g < _games.Length; g++) FlatOptimizerState.Validate($"game {g}'s optimizer", _games[g].NamedState(), parts[g]);
        for (int g = 0; g < _games.Length; g++) _games[g].LoadState(parts[g]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var o in _games) o.Dispose();
    }

    private static string Key(int game, string name) => $"game{game}.{name}";
}
