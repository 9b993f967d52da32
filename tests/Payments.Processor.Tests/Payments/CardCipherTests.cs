using Microsoft.Extensions.Configuration;
using Payments.Contracts;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class CardCipherTests
{
    private static readonly CardDetails Card = Charges.Valid().Card!;

    [Fact]
    public void A_sealed_card_opens_to_the_same_card_and_shows_no_card_data()
    {
        var cipher = new CardCipher("k1", CardCipher.NewKey());

        var sealedCard = cipher.Encrypt(Card);

        Assert.Equal("k1", sealedCard.KeyId);
        var wire = System.Text.Json.JsonSerializer.Serialize(sealedCard);
        Assert.DoesNotContain(Card.Number, wire, StringComparison.Ordinal);
        Assert.DoesNotContain(Card.Number[^4..] + "\"", wire, StringComparison.Ordinal);
        Assert.Equal(Card, cipher.Decrypt(sealedCard));
    }

    [Fact]
    public void Sealing_twice_gives_different_ciphertexts()
    {
        var cipher = new CardCipher("k1", CardCipher.NewKey());

        Assert.NotEqual(cipher.Encrypt(Card).Ciphertext, cipher.Encrypt(Card).Ciphertext);
    }

    [Theory]
    [InlineData(nameof(EncryptedCard.Ciphertext))]
    [InlineData(nameof(EncryptedCard.Tag))]
    [InlineData(nameof(EncryptedCard.Nonce))]
    public void A_tampered_card_is_refused(string field)
    {
        var cipher = new CardCipher("k1", CardCipher.NewKey());
        var sealedCard = cipher.Encrypt(Card);

        var tampered = field switch
        {
            nameof(EncryptedCard.Ciphertext) => sealedCard with { Ciphertext = FlipFirstBit(sealedCard.Ciphertext) },
            nameof(EncryptedCard.Tag) => sealedCard with { Tag = FlipFirstBit(sealedCard.Tag) },
            _ => sealedCard with { Nonce = FlipFirstBit(sealedCard.Nonce) },
        };

        var error = Assert.Throws<CardDecryptionException>(() => cipher.Decrypt(tampered));
        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_relabelled_to_another_known_key_is_refused()
    {
        var key = CardCipher.NewKey();
        var cipher = new CardCipher("k2", new Dictionary<string, byte[]> { ["k1"] = key, ["k2"] = key });
        var sealedCard = cipher.Encrypt(Card);

        Assert.Throws<CardDecryptionException>(() => cipher.Decrypt(sealedCard with { KeyId = "k1" }));
    }

    [Fact]
    public void An_unknown_key_id_is_refused_naming_it()
    {
        var sender = new CardCipher("other", CardCipher.NewKey());
        var processor = new CardCipher("k1", CardCipher.NewKey());

        var error = Assert.Throws<CardDecryptionException>(() => processor.Decrypt(sender.Encrypt(Card)));
        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_rotation_cards_sealed_with_the_previous_key_still_open_and_new_ones_use_the_new_key()
    {
        var oldKey = CardCipher.NewKey();
        var before = new CardCipher("2026-01", oldKey);
        var sealedBefore = before.Encrypt(Card);

        var after = new CardCipher("2026-02", new Dictionary<string, byte[]> { ["2026-01"] = oldKey, ["2026-02"] = CardCipher.NewKey() });

        Assert.Equal(Card, after.Decrypt(sealedBefore));
        Assert.Equal("2026-02", after.Encrypt(Card).KeyId);
        Assert.Throws<CardDecryptionException>(() => before.Decrypt(after.Encrypt(Card)));
    }

    [Fact]
    public void A_key_that_is_not_256_bits_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new CardCipher("k1", new byte[16]));
    }

    [Fact]
    public void The_processor_reads_its_keys_from_configuration()
    {
        var key = CardCipher.NewKey();
        var options = new CardEncryptionOptions
        {
            CurrentKeyId = "k2",
            Keys = { ["k1"] = Convert.ToBase64String(CardCipher.NewKey()), ["k2"] = Convert.ToBase64String(key) },
        };

        var cipher = CardCipherFactory.Create(options, durable: true);

        Assert.Equal("k2", cipher.CurrentKeyId);
        Assert.Equal(Card, new CardCipher("k2", key).Decrypt(cipher.Encrypt(Card)));
    }

    [Fact]
    public void Without_configured_keys_the_embedded_default_uses_an_ephemeral_key()
    {
        var cipher = CardCipherFactory.Create(new CardEncryptionOptions(), durable: false);

        Assert.StartsWith("ephemeral-", cipher.CurrentKeyId, StringComparison.Ordinal);
        Assert.Equal(Card, cipher.Decrypt(cipher.Encrypt(Card)));
    }

    [Fact]
    public void Without_configured_keys_a_durable_processor_refuses_to_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => CardCipherFactory.Create(new CardEncryptionOptions(), durable: true));

        Assert.Equal("Payments:CardEncryption:Keys", error.Key);
        Assert.Contains("restart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_durable_processor_without_a_card_key_stops_at_start_up_not_at_the_first_charge()
    {
        var settings = new Dictionary<string, string?>(TestApiKeys.Settings())
        {
            ["RabbitMq:Host"] = "127.0.0.1",
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Payments"] = "Host=127.0.0.1;Database=never_opened",
        };

        var error = Assert.Throws<InvalidSettingException>(() =>
            PaymentsApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal("Payments:CardEncryption:Keys", error.Key);
    }

    [Theory]
    [InlineData("k1", "not base64!", "Payments:CardEncryption:Keys:k1")]
    [InlineData("k1", "AAAA", "Payments:CardEncryption:Keys:k1")]
    [InlineData("missing", null, "Payments:CardEncryption:CurrentKeyId")]
    public void Bad_key_configuration_stops_start_up_naming_the_key(string currentKeyId, string? value, string expectedKey)
    {
        var options = new CardEncryptionOptions { CurrentKeyId = currentKeyId };
        options.Keys["k1"] = value ?? Convert.ToBase64String(CardCipher.NewKey());

        var error = Assert.Throws<InvalidSettingException>(() => CardCipherFactory.Create(options, durable: true));
        Assert.Equal(expectedKey, error.Key);
    }

    private static string FlipFirstBit(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[0] ^= 1;
        return Convert.ToBase64String(bytes);
    }
}
