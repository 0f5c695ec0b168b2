using KudosRelay.Host.Cli;

// kudosrelay [serve] | migrate | org import FILE | org export | outbox list|show|retry
return await KudosRelayCli.RunAsync(args);
