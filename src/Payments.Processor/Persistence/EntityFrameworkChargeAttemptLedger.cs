using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Payments.Gateways;
using Payments.Persistence.Dialects;
using Payments.Processor.Payments;

namespace Payments.Processor.Persistence;

/// <summary>
/// The durable ledger. Each call uses its own context and commits at once, outside the message's transaction:
/// the record must exist before the charge leaves, whatever happens to the saga's transaction afterwards.
/// </summary>
public sealed class EntityFrameworkChargeAttemptLedger(IDbContextFactory<PaymentsDbContext> contexts) : IChargeAttemptLedger
{
    public async Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
    {
        // A conflict with a row that is gone when looked at was with this payment's own attempt, released meanwhile by
        // another delivery of the same command (its gateway said "not processed"): insert again rather than take the
        // payment's own reference for another payment's.
        for (var round = 1; ; round++)
        {
            if (await TryInsertAsync(attempt, cancellationToken))
                return ChargeAttemptStart.Started;
            await using var check = await contexts.CreateDbContextAsync(cancellationToken);
            var holder = await check.ChargeAttempts.AsNoTracking()
                .Where(a => a.PaymentId == attempt.PaymentId || (a.Gateway == attempt.Gateway && a.MerchantReference == attempt.MerchantReference))
                .Select(a => a.PaymentId)
                .ToListAsync(cancellationToken);
            if (holder.Contains(attempt.PaymentId))
                return ChargeAttemptStart.AlreadyAttempted;
            if (holder.Count > 0)
                return ChargeAttemptStart.ReferenceInUse;
            if (round == MaxInsertRounds)
                throw new InvalidOperationException($"The charge attempt of payment {attempt.PaymentId} conflicted {round} times with a row that was gone");
        }
    }

    private const int MaxInsertRounds = 5;

    private async Task<bool> TryInsertAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ChargeAttempts.Add(new ChargeAttemptRecord
        {
            PaymentId = attempt.PaymentId,
            Gateway = attempt.Gateway,
            MerchantReference = attempt.MerchantReference,
            AccountId = attempt.AccountId,
            StartedAt = attempt.StartedAt,
            TraceParent = attempt.TraceParent,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueKeyViolation(ex))
        {
            return false;
        }
    }

    public async Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ChargeAttempts.Where(a => a.PaymentId == paymentId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.ChargeAttempts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Gateway == gateway && a.MerchantReference == merchantReference, cancellationToken);
        return record is null
            ? null
            : new ChargeAttempt(record.PaymentId, record.Gateway, record.MerchantReference, record.AccountId, record.StartedAt)
            {
                TraceParent = record.TraceParent,
            };
    }

    public async Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(answer, AnswerJson);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ChargeAttempts.Where(a => a.PaymentId == paymentId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Answer, json), cancellationToken);
    }

    public async Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = await db.ChargeAttempts.AsNoTracking().Where(a => a.PaymentId == paymentId).Select(a => a.Answer)
            .FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize<ChargeResult>(json, AnswerJson);
    }

    private static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
