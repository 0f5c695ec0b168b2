using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace KudosRelay.Testing;

/// <summary>Marks a test class whose database is SQL Server: its tests run only when <c>KUDOSRELAY_TEST_SQLSERVER</c> is set.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresSqlServerAttribute : Attribute;

/// <summary>
/// A fact in a suite shared by every database. In a class marked <see cref="RequiresSqlServerAttribute"/>
/// it is reported as skipped, with the reason, when no SQL Server is configured — never as passed.
/// </summary>
[XunitTestCaseDiscoverer("KudosRelay.Testing.DatabaseFactDiscoverer", "KudosRelay.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseFactAttribute : FactAttribute;

public sealed class DatabaseFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsSqlServer = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresSqlServerAttribute)).Any();
        if (needsSqlServer && TestDatabase.SqlServerConnectionString is null)
        {
            yield return new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod,
                $"SQL Server tests need {TestDatabase.SqlServerVariable} to hold a connection string");
            yield break;
        }
        yield return new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod);
    }
}
