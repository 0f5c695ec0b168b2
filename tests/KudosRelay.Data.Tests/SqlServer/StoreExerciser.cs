using System.Collections;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>
/// Calls every method of every store (types named <c>…Store</c>, the migrator, and static classes
/// whose methods work in a caller's transaction) with made-up arguments against a
/// <see cref="RecordingConnection"/>, and returns the statements each type sent. Nobody lists the
/// stores or their methods: a store added later is exercised the same way. A method that fails
/// part-way (no rows come back) still shows the statements it sent before.
/// </summary>
internal static class StoreExerciser
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static async Task<Dictionary<Type, List<RecordedCommand>>> RunEveryStoreAsync(SqlDialect dialect, IEnumerable<Assembly> assemblies)
    {
        var sentBy = new Dictionary<Type, List<RecordedCommand>>();
        foreach (var type in assemblies.SelectMany(assembly => assembly.GetTypes()).Where(IsExercised))
        {
            var sent = new List<RecordedCommand>();
            var arguments = new Arguments(dialect, sent);
            var instance = type.IsAbstract ? null : arguments.Make(type, 0);
            foreach (var method in type.GetMethods(Declared).Where(method => (method.IsPublic || method.IsAssembly) && !method.IsSpecialName && !method.IsGenericMethodDefinition && !method.Name.Contains('<', StringComparison.Ordinal)))
            {
                if (!method.IsStatic && instance is null)
                    continue;
                try
                {
                    var result = method.Invoke(method.IsStatic ? null : instance, method.GetParameters().Select(parameter => arguments.Make(parameter.ParameterType, 0)).ToArray());
                    if (result is Task task)
                        await task;
                    else if (result is ValueTask valueTask)
                        await valueTask;
                }
                catch (Exception)
                {
                    // Nothing comes back from the recording connection, so many methods stop early; what they sent is kept.
                }
            }
            sentBy[type] = sent;
        }
        return sentBy;
    }

    private static bool IsExercised(Type type) =>
        !type.IsGenericTypeDefinition && !type.IsNested && !type.IsDefined(typeof(CompilerGeneratedAttribute))
        && ((type.IsClass && !type.IsAbstract && (type.Name.EndsWith("Store", StringComparison.Ordinal) || type.Name == nameof(Migrator)))
            || (type.IsAbstract && type.IsSealed && type.GetMethods(Declared).Any(method => method.GetParameters().Any(parameter => parameter.ParameterType == typeof(DbTransaction)))));

    private sealed class Arguments(SqlDialect dialect, List<RecordedCommand> sent)
    {
        // A scalar is 0: no rows counted, and sp_getapplock's "granted", so the migrator goes on to send every migration.
        private readonly Db db = RecordingDb.Create(dialect, sent, _ => 0);

        private static readonly DateTime Moment = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

        public object? Make(Type type, int depth)
        {
            if (depth > 4)
                return null;
            if (Nullable.GetUnderlyingType(type) is { } underlying)
                return Make(underlying, depth);
            return type switch
            {
                _ when type == typeof(string) => "x",
                _ when type == typeof(CancellationToken) => CancellationToken.None,
                _ when type == typeof(Db) => db,
                _ when type == typeof(SqlDialect) => dialect,
                _ when type == typeof(TimeProvider) => new ManualClock(),
                _ when type == typeof(DbTransaction) => Transaction(),
                _ when type == typeof(DbConnection) => Transaction().Connection,
                _ when type == typeof(DateTime) => Moment,
                _ when type == typeof(DateTimeOffset) => new DateTimeOffset(Moment),
                _ when type == typeof(DateOnly) => DateOnly.FromDateTime(Moment),
                _ when type == typeof(TimeOnly) => TimeOnly.FromDateTime(Moment),
                _ when type == typeof(TimeSpan) => TimeSpan.FromMinutes(1),
                _ when type == typeof(Guid) => Guid.Empty,
                _ when type == typeof(bool) => true,
                _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
                _ when type.IsPrimitive || type == typeof(decimal) => Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture),
                _ when type.IsArray => OneElementArray(type.GetElementType()!, depth),
                _ when typeof(Delegate).IsAssignableFrom(type) => null,
                _ when type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) => OneElementCollection(type, depth),
                _ when type.IsInterface || type.IsAbstract => null,
                _ => Construct(type, depth),
            };
        }

        private DbTransaction Transaction()
        {
            var connection = new RecordingConnection(sent, _ => 0);
            connection.Open();
            return connection.BeginTransaction();
        }

        private Array OneElementArray(Type element, int depth)
        {
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Make(element, depth + 1), 0);
            return array;
        }

        private object? OneElementCollection(Type type, int depth)
        {
            var arguments = type.GetGenericArguments();
            if (arguments.Length == 2)
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                if (Make(arguments[0], depth + 1) is { } key)
                    dictionary[key] = Make(arguments[1], depth + 1);
                return type.IsAssignableFrom(dictionary.GetType()) ? dictionary : null;
            }
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
            list.Add(Make(arguments[0], depth + 1));
            if (type.IsAssignableFrom(list.GetType()))
                return list;
            var set = Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(arguments[0]), list);
            return type.IsAssignableFrom(set!.GetType()) ? set : null;
        }

        private object? Construct(Type type, int depth)
        {
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Where(candidate => !candidate.GetParameters().Any(parameter => parameter.ParameterType == type))
                .OrderByDescending(candidate => candidate.IsPublic)
                .ThenByDescending(candidate => candidate.GetParameters().Length)
                .FirstOrDefault();
            object? instance;
            try
            {
                instance = constructor is null
                    ? (type.IsValueType ? Activator.CreateInstance(type) : null)
                    : constructor.Invoke(constructor.GetParameters().Select(parameter => Make(parameter.ParameterType, depth + 1)).ToArray());
            }
            catch (TargetInvocationException)
            {
                return null;
            }
            if (instance is null)
                return null;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.SetMethod is { IsPublic: true }))
            {
                if (property.GetValue(instance) is null or "" && Make(property.PropertyType, depth + 1) is { } value)
                    property.SetValue(instance, value);
            }
            return instance;
        }
    }
}
