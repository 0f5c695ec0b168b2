using KudosRelay.Host.Cli;

// kudosrelay [serve] | migrate | org import FILE | org export | outbox list | outbox retry ID
return await KudosRelayCli.RunAsync(args);
