namespace MtlAgent.Agent.Configuration;

/// <summary>A configuration that cannot be read or is invalid; the message names the key and the accepted values.</summary>
public sealed class ConfigException(string message) : Exception(message);
