using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tests.Configuration;

public class ConfigLoadingTests
{
    [Fact]
    public void UnknownKey_NamesTheKey_AndTheKnownKeysOfItsSection()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddPreset("smoke").Set("learner.lerning_rate=0.1"));
        Assert.Contains("unknown key 'learner.lerning_rate'", e.Message);
        Assert.Contains("known keys under 'learner': gamma, double_dqn,", e.Message);
        Assert.Contains("learning_rate", e.Message);
    }

    [Fact]
    public void UnknownTopLevelKey_InAFile_NamesTheFile()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddYaml("lerner:\n  gamma: 0.9\n", "config file 'x.yaml'"));
        Assert.StartsWith("config file 'x.yaml': unknown key 'lerner'; known top-level keys: games, frames,", e.Message);
    }

    [Fact]
    public void WrongType_SaysWhatTheValueIsNot()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("learner.learning_rate=abc"));
        Assert.Contains("learner.learning_rate: 'abc' is not a number", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("frames=1.5"));
        Assert.Contains("frames: '1.5' is not an integer", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("learner.double_dqn=maybe"));
        Assert.Contains("learner.double_dqn: 'maybe' is not true or false", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("network.conv_channels=16"));
        Assert.Contains("network.conv_channels: expected a list", e.Message);
    }

    [Fact]
    public void UnknownGame_ListsTheKnownIds()
    {
        var e = Assert.Throws<ConfigException>(() =>
            new ConfigBuilder().AddPreset("smoke").SetList("games", ["MinAtar/Brekout-v0"], "--games").Build());
        Assert.Contains("unknown game 'MinAtar/Brekout-v0'; known: ", e.Message);
        Assert.Contains("MinAtar/Breakout-v0", e.Message);
        Assert.Contains("MinAtar/SpaceInvaders-v1", e.Message);
    }

    [Fact]
    public void OutOfRangeValuesAreAllReported_AndUnknownChoicesAreRefusedAsTheyAreRead()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("learner.gamma=1.5").Set("learner.rms_alpha=-1").Build());
        Assert.Contains("learner.gamma: 1.5 is out of range; accepted: [0, 1]", e.Message);
        Assert.Contains("learner.rms_alpha: -1 is out of range; accepted: [0, 1]", e.Message);
        foreach (var (set, accepted) in new[]
        {
            ("learner.optimizer=sgd", "learner.optimizer: 'sgd' is not accepted; accepted: rmsprop, adam"),
            ("tasks.weighting=worst",
                "tasks.weighting: 'worst' is not accepted; accepted: uniform, worst_case, minmax, gradnorm, uncertainty"),
            ("network.task_conditioning=gate", "network.task_conditioning: 'gate' is not accepted; accepted: none, concat, film"),
            ("device=tpu", "device: 'tpu' is not accepted; accepted: cpu, cuda"),
        })
            Assert.Contains(accepted, Assert.Throws<ConfigException>(() => new ConfigBuilder().Set(set).Build()).Message);
    }

    [Fact]
    public void PerGameOptimizerStateNeedsOneGamePerUpdate()
    {
        var e = Assert.Throws<ConfigException>(() =>
            new ConfigBuilder().AddPreset("smoke").Set("learner.optimizer_state=per_game").Build());
        Assert.Contains("learner.optimizer_state: per_game keeps one optimizer state per game and needs tasks.sampling round_robin",
            e.Message);
        var ok = new ConfigBuilder().AddPreset("smoke").Set("learner.optimizer_state=per_game").Set("tasks.sampling=round_robin").Build();
        Assert.Equal(OptimizerState.PerGame, ok.Learner.OptimizerState);
        Assert.Equal(OptimizerState.Shared, new ConfigBuilder().Build().Learner.OptimizerState);
        Assert.Contains("shared, per_game", Assert.Throws<ConfigException>(() =>
            new ConfigBuilder().Set("learner.optimizer_state=each").Build()).Message);
    }

    [Fact]
    public void PcGradNeedsSeveralGamesPerUpdate_AndSharedParameters()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddPreset("smoke")
            .Set("learner.gradient_surgery=pcgrad").Set("tasks.sampling=round_robin").Build());
        Assert.Contains("learner.gradient_surgery: pcgrad projects the games' gradients of one update onto each other and needs " +
            "tasks.sampling balanced", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddPreset("smoke")
            .Set("learner.gradient_surgery=pcgrad").Set("network.sharing=separate").Build());
        Assert.Contains("needs network.sharing hard, conv, hidden or cross_stitch, or network.trunk moe (not separate", e.Message);
        var ok = new ConfigBuilder().AddPreset("smoke").Set("learner.gradient_surgery=pcgrad").Build();
        Assert.Equal(GradientSurgery.PcGrad, ok.Learner.GradientSurgery);
        Assert.Equal(GradientSurgery.None, new ConfigBuilder().Build().Learner.GradientSurgery);
        Assert.Contains("accepted: none, pcgrad", Assert.Throws<ConfigException>(() =>
            new ConfigBuilder().Set("learner.gradient_surgery=pc_grad").Build()).Message);
    }

    [Fact]
    public void BadTaskWeightingSettingsAreRefused_EachNamingItsKey()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddPreset("smoke")
            .Set("tasks.weighting=gradnorm").Set("tasks.gradnorm_alpha=-0.5").Set("tasks.gradnorm_lr=0").Set("tasks.uncertainty_lr=-1")
            .Build());
        Assert.Contains("tasks.gradnorm_alpha: -0.5 must be a number at least 0", e.Message);
        Assert.Contains("tasks.gradnorm_lr: 0 must be a positive number", e.Message);
        Assert.Contains("tasks.uncertainty_lr: -1 must be a positive number", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().AddPreset("smoke")
            .Set("tasks.weighting=gradnorm").Set("tasks.sampling=round_robin").Build());
        Assert.Contains("tasks.weighting: gradnorm balances the games within an update and needs tasks.sampling balanced", e.Message);
        var ok = new ConfigBuilder().AddPreset("smoke").Set("tasks.weighting=minmax").Set("tasks.gradnorm_alpha=0").Build();
        Assert.Equal((Weighting.MinMax, 0.0), (ok.Tasks.Weighting, ok.Tasks.GradnormAlpha));
        Assert.Equal(Weighting.Uncertainty, new ConfigBuilder().Set("tasks.weighting=uncertainty").Build().Tasks.Weighting);
    }

    [Fact]
    public void AGameWeightOfZeroIsRefusedAtValidation()
    {
        var config = new ConfigBuilder().AddPreset("smoke")
            .Set("tasks.game_weights={\"MinAtar/Breakout-v0\": 0, \"MinAtar/Asterix-v0\": 1}");
        var e = Assert.Throws<ConfigException>(() => config.Build());
        Assert.Contains("tasks.game_weights.MinAtar/Breakout-v0: 0 must be a positive number", e.Message);
    }

    [Fact]
    public void Layers_ApplyInOrder_PresetThenFileThenSetThenFlags()
    {
        var config = new ConfigBuilder()
            .AddPreset("smoke")                                                        // frames 3000, learning_starts 500
            .AddYaml("frames: 4000\nlearner:\n  gamma: 0.9\n  learning_starts: 600\n", "file")
            .Set("learner.learning_starts=700")
            .Set("frames", "5000", "--frames")
            .Build();
        Assert.Equal(5000, config.Frames);
        Assert.Equal(0.9, config.Learner.Gamma);
        Assert.Equal(700, config.Learner.LearningStarts);
        Assert.Equal(200, config.Learner.TargetUpdatePeriod);                           // smoke
        Assert.Equal(0.00025, config.Learner.LearningRate);                              // minatar5, through extends
        Assert.Equal(["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"], config.Games);
    }

    [Fact]
    public void SetValues_AreReadAsYaml()
    {
        var config = new ConfigBuilder().Set("network.conv_channels=[16, 32]").Set("env.max_episode_steps=null")
            .Set("tasks.game_weights={MinAtar/Breakout-v0: 2, MinAtar/Asterix-v0: 1}")
            .Set("games=[MinAtar/Breakout-v0, MinAtar/Asterix-v0]")
            .Set("frames=5e6").Build();
        Assert.Equal([16, 32], config.Network.ConvChannels);
        Assert.Null(config.Env.MaxEpisodeSteps);
        Assert.Equal(2.0, config.Tasks.GameWeights!["MinAtar/Breakout-v0"]);
        Assert.Equal(5_000_000, config.Frames);
    }

    [Fact]
    public void EveryPreset_LoadsAndValidates_AndSingleGamePresetsDifferOnlyInGames()
    {
        Assert.Contains("minatar5", Presets.Names);
        Assert.Contains("smoke", Presets.Names);
        var five = ConfigYaml.Flatten(new ConfigBuilder().AddPreset("minatar5").Build());
        // The preset documents the defaults, but for one: the defaults (what a config.yaml without the key means, as in
        // runs written before it) keep the reference learning rate; minatar5 scales it by the games (a study chose it).
        var defaults = ConfigYaml.Flatten(
            new TrainConfig { Learner = new LearnerConfig { LearningRateScaling = LearningRateScaling.Games } });
        Assert.Equal(defaults, five);
        Assert.Equal(LearningRateScaling.None, new TrainConfig().Learner.LearningRateScaling);
        foreach (var game in new[] { "breakout", "asterix", "freeway", "seaquest", "space-invaders" })
        {
            var single = new ConfigBuilder().AddPreset($"minatar-{game}").Build();
            Assert.Single(single.Games);
            Assert.Equal(five.Where(kv => kv.Key != "games"), ConfigYaml.Flatten(single).Where(kv => kv.Key != "games"));
        }
    }

    [Fact]
    public void WrittenConfig_ReadsBackToTheSameSettings()
    {
        var config = new ConfigBuilder().AddPreset("smoke").Set("tasks.game_weights={MinAtar/Breakout-v0: 0.5}")
            .Set("learner.max_grad_norm=10").Set("network.conv_channels=[8, 8]").Build();
        var text = ConfigYaml.Write(config);
        var back = new ConfigBuilder().AddYaml(text, "written").Build();
        Assert.Equal(text, ConfigYaml.Write(back));
        Assert.Equal(ConfigYaml.Flatten(config), ConfigYaml.Flatten(back));
    }
}
