using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;
using Xunit.Abstractions;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>
/// Every statement the product can send to SQL Server is parsed here as SQL Server 2022 parses it,
/// without a SQL Server: the migrations, every SQL literal compiled into the product's assemblies,
/// and the statements the stores assemble at run time with the SQL Server dialect.
/// </summary>
public sealed partial class SqlServerStatementTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_SqlServer_migration_parses_as_TSql160()
    {
        var migrations = Migrator.For(SqlDialect.SqlServer);

        Assert.NotEmpty(migrations);
        AssertAllParse(migrations.Select(migration => new Statement($"migration {migration.Name}", migration.Sql)));
    }

    [Fact]
    public async Task Every_SQL_literal_in_the_product_parses_as_TSql160_unless_only_SQLite_accepts_it()
    {
        var literals = ProductAssemblies.SelectMany(StringLiterals.In)
            .Where(literal => !literal.IsFragment && LooksLikeSql(literal.Text))
            .Select(literal => new Statement(literal.Origin, AsDapperSendsIt(literal.Text)))
            .DistinctBy(statement => statement.Sql)
            .ToList();
        await using var sqlite = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var forSqlServer = new List<Statement>();
        foreach (var statement in literals)
        {
            if (Parse(statement.Sql).Count == 0 || !await CompilesOnSqliteAsync(sqlite, statement.Sql))
                forSqlServer.Add(statement);
        }

        output.WriteLine($"{literals.Count} SQL literals, {forSqlServer.Count} of them sent to SQL Server");
        // The SQLite branches are the other half; if most literals went there, the scan is not finding the SQL Server ones.
        Assert.True(forSqlServer.Count >= 60, $"only {forSqlServer.Count} SQL Server statements found among {literals.Count} literals");
        AssertAllParse(forSqlServer);
    }

    [Fact]
    public async Task Every_statement_the_stores_assemble_for_SqlServer_parses_as_TSql160()
    {
        var sent = await StoreExerciser.RunEveryStoreAsync(SqlDialect.SqlServer, ProductAssemblies);

        foreach (var (type, statements) in sent)
            output.WriteLine($"{type.Name}: {statements.Count} statements");
        foreach (var store in sent.Where(store => store.Key.Name.EndsWith("Store", StringComparison.Ordinal)))
            Assert.True(store.Value.Count > 0, $"{store.Key.Name} sent no statement under the recording connection");
        Assert.Contains(sent.Keys, type => type.Name == "Migrator");
        AssertAllParse(sent.SelectMany(store => store.Value.Select(command => new Statement($"{store.Key.Name} at run time", command.Text))).DistinctBy(statement => statement.Sql));
    }

    [Fact]
    public void A_broken_statement_is_reported_with_its_origin_and_the_parser_message()
    {
        var error = Assert.ThrowsAny<Exception>(() => AssertAllParse([new Statement("example", "INSERT INTO t (a) OUTPUT inserted.id VALUES (@A")]));

        Assert.Contains("example: line 1", error.Message, StringComparison.Ordinal);
    }

    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(Db).Assembly,
        typeof(Migrator).Assembly,
        Assembly.Load("KudosRelay.Slack"),
        Assembly.Load("KudosRelay.Teams"),
    ];

    internal sealed record Statement(string Origin, string Sql);

    private static IList<ParseError> Parse(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    private static void AssertAllParse(IEnumerable<Statement> statements)
    {
        var report = new StringBuilder();
        var count = 0;
        foreach (var statement in statements)
        {
            count++;
            foreach (var error in Parse(statement.Sql))
                report.AppendLine($"{statement.Origin}: line {error.Line}, column {error.Column}: {error.Message}").AppendLine(statement.Sql).AppendLine();
        }
        Assert.True(count > 0, "no statements to check");
        Assert.True(report.Length == 0, $"SQL Server (TSql160) cannot parse:{Environment.NewLine}{report}");
    }

    private static async Task<bool> CompilesOnSqliteAsync(TestDatabase sqlite, string sql) =>
        await sqlite.Db.WithConnectionAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            try
            {
                command.Prepare();
                return Task.FromResult(true);
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return Task.FromResult(false);
            }
        }, CancellationToken.None);

    private static bool LooksLikeSql(string text) => SqlStart().IsMatch(text);

    /// <summary>Dapper turns <c>IN @Ids</c> into <c>IN (@Ids1, @Ids2, …)</c> before the statement is sent.</summary>
    private static string AsDapperSendsIt(string sql) => ListParameter().Replace(sql, "IN (@$1)");

    [GeneratedRegex(@"^\s*(?:--[^\n]*\n\s*)*(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|EXEC|IF|CREATE|ALTER|DROP|DECLARE|PRAGMA)\s")]
    private static partial Regex SqlStart();

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();
}
