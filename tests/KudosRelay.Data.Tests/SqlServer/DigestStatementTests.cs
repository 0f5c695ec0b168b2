using KudosRelay.Core.Digests;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>
/// A digest's statements are put together per kind of scope, so the scan of literals sees only their pieces: each
/// finished statement is parsed here, for every kind of scope.
/// </summary>
public sealed class DigestStatementTests
{
    public static TheoryData<string> KindsOfScope => [.. DigestStatements.KindsOfScope];

    [Theory]
    [MemberData(nameof(KindsOfScope))]
    public void Every_digest_statement_parses_as_TSql160(string scopeKind)
    {
        var problems = new List<string>();
        foreach (var sql in DigestStatements.For(scopeKind).All)
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            problems.AddRange(errors.Select(error => $"line {error.Line}, column {error.Column}: {error.Message}\n{sql}"));
        }
        Assert.Empty(problems);
    }
}
