using System.Globalization;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace KudosRelay.Data.Tests.SqlServer;

public sealed class FeedbackLimitsTests
{
    [Fact]
    public void The_limits_intake_checks_are_the_lengths_the_SqlServer_migrations_give_feedback_items()
    {
        var columns = new ColumnLengths("feedback_items");
        foreach (var migration in Migrator.For(SqlDialect.SqlServer))
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(migration.Sql), out _).Accept(columns);

        Assert.Contains("external_id", columns.Lengths.Keys);
        Assert.Equal(columns.Lengths.OrderBy(pair => pair.Key, StringComparer.Ordinal), FeedbackLimits.ColumnLengths.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    /// <summary>The declared length of every bounded NVARCHAR column of one table, as the migrations leave it in order.</summary>
    private sealed class ColumnLengths(string table) : TSqlFragmentVisitor
    {
        public Dictionary<string, int> Lengths { get; } = new(StringComparer.Ordinal);

        public override void Visit(CreateTableStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value == table)
                foreach (var column in node.Definition.ColumnDefinitions)
                    Record(column.ColumnIdentifier.Value, column.DataType);
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value == table)
                foreach (var column in node.Definition.ColumnDefinitions)
                    Record(column.ColumnIdentifier.Value, column.DataType);
        }

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            if (node.SchemaObjectName.BaseIdentifier.Value == table)
                Record(node.ColumnIdentifier.Value, node.DataType);
        }

        private void Record(string column, DataTypeReference type)
        {
            Lengths.Remove(column);
            if (type is SqlDataTypeReference { SqlDataTypeOption: SqlDataTypeOption.NVarChar, Parameters: [IntegerLiteral length] })
                Lengths[column] = int.Parse(length.Value, CultureInfo.InvariantCulture);
        }
    }
}
