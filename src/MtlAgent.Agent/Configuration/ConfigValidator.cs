using System.Globalization;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Configuration;

/// <summary>Range, choice and game-id checks of a bound config; every problem is reported, each naming its key.</summary>
public static class ConfigValidator
{
    /// <summary>Accepted values of <see cref="TrainConfig.Device"/> (for command-line options).</summary>
    public static readonly IReadOnlyList<string> Devices = ConfigChoices.Names<ComputeDevice>();

    /// <summary>Throws <see cref="ConfigException"/> listing every invalid setting.</summary>
    public static void Validate(TrainConfig c)
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }
        void Range(string key, double value, double min, double max, bool minOpen = false) =>
            Check(minOpen ? value > min && value <= max : value >= min && value <= max,
                $"{key}: {Show(value)} is out of range; accepted: {(minOpen ? "(" : "[")}{Show(min)}, {Show(max)}]");
        void AtLeast(string key, double value, double min) => Check(value >= min, $"{key}: {Show(value)} must be at least {Show(min)}");
        void Positive(string key, double value) =>
            Check(value > 0 && double.IsFinite(value), $"{key}: {Show(value)} must be a positive number");

        var known = KnownGames();
        Check(c.Games.Count > 0, "games: at least one game is needed");
        foreach (var game in c.Games)
            Check(EnvRegistry.IsKnown(game), $"games: unknown game '{game}'; known: {string.Join(", ", known)} " +
                $"(or one of them with {EnvRegistry.CopySeparator}n, n >= 2, for a further copy of the same game)");
        foreach (var dup in c.Games.GroupBy(g => g).Where(g => g.Count() > 1))
            errors.Add($"games: '{dup.Key}' is listed {dup.Count()} times");
        AtLeast("frames", c.Frames, 1);
        AtLeast("torch_threads", c.TorchThreads, 1);

        Range("env.sticky_action_prob", c.Env.StickyActionProb, 0, 1);
        if (c.Env.MaxEpisodeSteps is { } steps) AtLeast("env.max_episode_steps", steps, 1);
        AtLeast("env.envs_per_game", c.Env.EnvsPerGame, 1);

        // 3x3 convolutions without padding shrink the 10x10 frame by two each: at most four fit.
        Check(c.Network.ConvChannels.Count is >= 1 and <= 4,
            $"network.conv_channels: {c.Network.ConvChannels.Count}" +
            $" layers given; accepted: 1 to 4 (each 3x3 conv shrinks the 10x10 frame by 2)");
        foreach (var ch in c.Network.ConvChannels) AtLeast("network.conv_channels", ch, 1);
        AtLeast("network.hidden", c.Network.Hidden, 1);
        AtLeast("network.min_input_channels", c.Network.MinInputChannels, 0);
        Check(c.Network.SoftL2 >= 0 && double.IsFinite(c.Network.SoftL2),
            $"network.soft_l2: {Show(c.Network.SoftL2)} must be a non-negative number");
        AtLeast("network.experts", c.Network.Experts, 1);
        Check(c.Network.Trunk == TrunkKind.Moe || c.Network.Experts == 1,
            $"network.experts: {c.Network.Experts} experts need network.trunk: moe (network.trunk is plain)");
        // The experts of a mixture are shared by every game (the gate is per game); with one trunk per game there is nothing to mix.
        Check(c.Network.Trunk == TrunkKind.Plain || c.Network.Sharing == Sharing.Hard,
            $"network.trunk: moe needs network.sharing: hard (the experts are what the games share); " +
            $"network.sharing is {ConfigChoices.Name(c.Network.Sharing)}");

        AtLeast("replay.batch_per_game", c.Replay.BatchPerGame, 1);
        Check(c.Replay.CapacityPerGame >= c.Replay.BatchPerGame,
            $"replay.capacity_per_game: {c.Replay.CapacityPerGame} must be at least replay.batch_per_game ({c.Replay.BatchPerGame})");

        Range("learner.gamma", c.Learner.Gamma, 0, 1);
        Positive("learner.learning_rate", c.Learner.LearningRate);
        Range("learner.rms_alpha", c.Learner.RmsAlpha, 0, 1);
        Positive("learner.rms_eps", c.Learner.RmsEps);
        Positive("learner.adam_eps", c.Learner.AdamEps);
        Positive("learner.huber_delta", c.Learner.HuberDelta);
        if (c.Learner.MaxGradNorm is { } clip) Positive("learner.max_grad_norm", clip);
        Check(c.Learner.LearningStarts * c.Env.EnvsPerGame >= c.Replay.BatchPerGame,
            $"learner.learning_starts: {c.Learner.LearningStarts} frames per game cannot fill one batch of replay.batch_per_game (" +
            $"{c.Replay.BatchPerGame}); use at least {c.Replay.BatchPerGame}");
        AtLeast("learner.update_period", c.Learner.UpdatePeriod, 1);
        AtLeast("learner.target_update_period", c.Learner.TargetUpdatePeriod, 1);

        AtLeast("exploration.random_frames", c.Exploration.RandomFrames, 0);
        Range("exploration.start", c.Exploration.Start, 0, 1);
        Range("exploration.end", c.Exploration.End, 0, 1);
        AtLeast("exploration.decay_frames", c.Exploration.DecayFrames, 0);

        Range("pop_art.beta", c.PopArt.Beta, 0, 1, minOpen: true);
        Positive("pop_art.sigma_min", c.PopArt.SigmaMin);
        Check(c.PopArt.SigmaMax > c.PopArt.SigmaMin,
            $"pop_art.sigma_max: {Show(c.PopArt.SigmaMax)} must exceed pop_art.sigma_min ({Show(c.PopArt.SigmaMin)})");

        Positive("tasks.temperature", c.Tasks.Temperature);
        Check(c.Tasks.GradnormAlpha >= 0 && double.IsFinite(c.Tasks.GradnormAlpha),
            $"tasks.gradnorm_alpha: {Show(c.Tasks.GradnormAlpha)} must be a number at least 0");
        Positive("tasks.gradnorm_lr", c.Tasks.GradnormLr);
        Positive("tasks.uncertainty_lr", c.Tasks.UncertaintyLr);
        // A balanced update's gradient mixes every game: no game's own statistics could be told apart.
        Check(c.Learner.OptimizerState != OptimizerState.PerGame || c.Tasks.Sampling == Sampling.RoundRobin || c.Games.Count == 1,
            "learner.optimizer_state: per_game keeps one optimizer state per game and needs tasks.sampling round_robin" +
            " (a balanced update mixes every game's gradient)");
        // PCGrad compares the games' gradients within an update, on the parameters they share.
        Check(c.Learner.GradientSurgery != GradientSurgery.PcGrad || c.Tasks.Sampling == Sampling.Balanced || c.Games.Count == 1,
            "learner.gradient_surgery: pcgrad projects the games' gradients of one update onto each other and needs " +
            "tasks.sampling balanced (round_robin updates hold one game each)");
        Check(c.Learner.GradientSurgery != GradientSurgery.PcGrad || c.Games.Count == 1 || c.Network.SharesParameters(),
            "learner.gradient_surgery: pcgrad acts on the parameters the games share and needs network.sharing hard, conv, hidden " +
            $"or cross_stitch, or network.trunk moe (not {ConfigChoices.Name(c.Network.Sharing)} with a plain trunk)");
        // GradNorm balances the games' gradients within an update: an update of one game has nothing to balance.
        Check(c.Tasks.Weighting != Weighting.GradNorm || c.Tasks.Sampling == Sampling.Balanced,
            "tasks.weighting: gradnorm balances the games within an update and needs tasks.sampling balanced" +
            " (round_robin updates hold one game each)");
        // GradNorm's W is the hidden layer every game shares: separate and soft trunks share none, and in cross_stitch
        // columns and moe experts the last shared matrix belongs to one game's column or one expert.
        Check(c.Tasks.Weighting != Weighting.GradNorm || (c.Network.Sharing == Sharing.Hard && c.Network.Trunk == TrunkKind.Plain),
            "tasks.weighting: gradnorm needs one hidden layer every game shares: network.sharing hard and network.trunk plain " +
            $"(not {ConfigChoices.Name(c.Network.Sharing)}, {ConfigChoices.Name(c.Network.Trunk)})");
        if (c.Tasks.GameWeights is { } weights)
        {
            foreach (var (game, w) in weights)
            {
                Check(c.Games.Contains(game), $"tasks.game_weights: '{game}' is not one of the run's games ({string.Join(", ", c.Games)})");
                Positive($"tasks.game_weights.{game}", w); // a game's share of every batch: 0 would leave it out of the loss
            }
        }

        AtLeast("monitor.regression_drop", c.Monitor.RegressionDrop, 0);
        AtLeast("monitor.stall_frames", c.Monitor.StallFrames, 1);
        AtLeast("monitor.return_window", c.Monitor.ReturnWindow, 1);
        AtLeast("monitor.gradient_every", c.Monitor.GradientEvery, 0);

        AtLeast("run.log_every_frames", c.Run.LogEveryFrames, 1);
        AtLeast("run.eval_every_frames", c.Run.EvalEveryFrames, 0);
        AtLeast("run.eval_episodes", c.Run.EvalEpisodes, 1);
        Range("run.eval_epsilon", c.Run.EvalEpsilon, 0, 1);
        AtLeast("run.checkpoint_every_frames", c.Run.CheckpointEveryFrames, 1);
        AtLeast("run.keep_checkpoints", c.Run.KeepCheckpoints, 1);

        if (errors.Count > 0) throw new ConfigException(string.Join("\n", errors));
    }

    /// <summary>The game ids a config may name.</summary>
    public static IReadOnlyList<string> KnownGames() => EnvRegistry.Ids;

    private static string Show(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
