using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Payments.Processor.Payments;

/// <summary>
/// Binds <see cref="PaymentOptions"/> so that a list given in configuration replaces the default list instead of
/// being appended to it: the configuration binder adds bound items after the ones a property already holds, so
/// <c>Payments__RetryIntervals__0..5</c> would otherwise make 6 defaults + 6 configured = 12 intervals.
/// </summary>
public static class PaymentOptionsBinding
{
    public static OptionsBuilder<PaymentOptions> BindReplacingDefaultLists(this OptionsBuilder<PaymentOptions> options, IConfiguration section) =>
        options.Configure(o => BindReplacingDefaultLists(o, section));

    /// <summary>Empties each list or array property that <paramref name="section"/> configures, then binds as usual.</summary>
    public static void BindReplacingDefaultLists(object options, IConfiguration section)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || !IsList(property.PropertyType) || !section.GetSection(property.Name).GetChildren().Any())
                continue;
            property.SetValue(options, property.PropertyType.IsArray
                ? Array.CreateInstance(property.PropertyType.GetElementType()!, 0)
                : Activator.CreateInstance(property.PropertyType));
        }
        section.Bind(options);
    }

    private static bool IsList(Type type) =>
        type.IsArray || (typeof(IList).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null);
}
