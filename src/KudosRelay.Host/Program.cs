using KudosRelay.Host.Cli;

// kudosrelay [serve] | migrate | org import FILE | org export | outbox list|show|retry | tone check
return await KudosRelayCli.RunAsync(args);
