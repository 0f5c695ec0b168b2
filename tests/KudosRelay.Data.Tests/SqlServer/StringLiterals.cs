using System.Reflection;
using System.Reflection.Emit;

namespace KudosRelay.Data.Tests.SqlServer;

/// <summary>A string literal compiled into a method (<c>ldstr</c>), local constants and raw strings included.</summary>
internal sealed record StringLiteral(string Origin, string Text, bool IsFragment);

/// <summary>
/// Reads the string literals out of an assembly's IL. A literal that is only a piece of a larger
/// string (an operand of <c>string.Concat</c> or an interpolation) is marked as a fragment: what it
/// becomes is only known at run time.
/// </summary>
internal static class StringLiterals
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    public static IEnumerable<StringLiteral> In(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var methods = type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything));
            foreach (var method in methods)
            {
                if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
                    continue;
                var instructions = Decode(il);
                for (var index = 0; index < instructions.Count; index++)
                {
                    if (instructions[index].Code != OpCodes.Ldstr)
                        continue;
                    var text = method.Module.ResolveString(instructions[index].Token);
                    yield return new StringLiteral($"{type.FullName}.{method.Name}", text, IsFragment(method, instructions, index));
                }
            }
        }
    }

    private static bool IsFragment(MethodBase method, List<(OpCode Code, int Token)> instructions, int index)
    {
        foreach (var (code, token) in instructions.Skip(index + 1))
        {
            if (code != OpCodes.Call && code != OpCodes.Callvirt && code != OpCodes.Newobj)
                continue;
            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (ArgumentException)
            {
                return false;
            }
            return called is not null && (called.Name is "AppendLiteral" or "AppendFormatted"
                || (called.DeclaringType == typeof(string) && called.Name is "Concat" or "Format"));
        }
        return false;
    }

    private static List<(OpCode Code, int Token)> Decode(byte[] il)
    {
        var instructions = new List<(OpCode, int)>();
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            var token = 0;
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    token = BitConverter.ToInt32(il, position);
                    position += 4;
                    break;
            }
            instructions.Add((code, token));
        }
        return instructions;
    }
}
