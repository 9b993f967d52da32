using System.Net;
using System.Text;
using System.Text.Json;
using Payments.Testing;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

public sealed class FinpayRequestShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CapturingHandler Success() =>
        CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success", """{"id":"C-1","authorizationCode":"082941"}""");

    [Fact]
    public async Task The_charge_is_a_camelCase_POST_to_the_one_click_payment_path_of_the_configured_host()
    {
        var finpay = Success();
        await using var services = FinpayServices.Create(finpay, new Dictionary<string, string?>
        {
            ["Gateways:Finpay:BaseUrl"] = "https://devo.finnet.co.id",
        });

        await services.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-1001"), Ct);

        var request = Assert.Single(finpay.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://devo.finnet.co.id/pg/payment/card/payment", request.Uri.ToString());
        Assert.Equal("application/json", request.ContentType);

        using var body = JsonDocument.Parse(request.Body!);
        var root = body.RootElement;
        Assert.Equal(["customer", "order", "card"], root.EnumerateObject().Select(p => p.Name));
        var customer = root.GetProperty("customer");
        Assert.Equal(["id", "email", "firstName", "lastName", "mobilePhone"], customer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("cust-1", customer.GetProperty("id").GetString());
        Assert.Equal("john@example.com", customer.GetProperty("email").GetString());
        Assert.Equal("John", customer.GetProperty("firstName").GetString());
        Assert.Equal("Doe", customer.GetProperty("lastName").GetString());
        Assert.Equal("08123456789", customer.GetProperty("mobilePhone").GetString());

        var order = root.GetProperty("order");
        Assert.Equal("ORD-1001", order.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.String, order.GetProperty("amount").ValueKind);
        Assert.Equal("100000", order.GetProperty("amount").GetString());
        Assert.Equal("IDR", order.GetProperty("currency").GetString());
        Assert.Equal("Monthly subscription fee", order.GetProperty("description").GetString());

        var card = root.GetProperty("card");
        Assert.Equal("tok_success_visa", card.GetProperty("token").GetString());
        Assert.Equal("STORED", card.GetProperty("storedOnFile").GetString());
    }

    [Fact]
    public async Task Every_call_carries_Basic_auth_of_merchant_id_and_key()
    {
        var finpay = Success();
        await using var services = FinpayServices.Create(finpay, new Dictionary<string, string?>
        {
            ["Gateways:Finpay:MerchantId"] = "FP-000123",
            ["Gateways:Finpay:MerchantKey"] = "s3cret-key",
        });

        await services.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-1002"), Ct);
        await services.Gateway.InquireAsync(PaymentReferences.For("ORD-1002"), Ct);

        Assert.Equal(2, finpay.Requests.Count);
        Assert.All(finpay.Requests, request =>
        {
            Assert.Equal("Basic", request.AuthScheme);
            Assert.Equal("FP-000123:s3cret-key", Encoding.UTF8.GetString(Convert.FromBase64String(request.AuthParameter!)));
        });
    }

    [Fact]
    public async Task The_status_check_is_a_GET_by_order_id_even_when_Finpays_own_id_is_known()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success", """{"id":"C-9","status":"PAID"}""");
        await using var services = FinpayServices.Create(finpay);

        await services.Gateway.InquireAsync(PaymentReferences.For("ORD/7 a", gatewayTransactionId: "C-9"), Ct);

        var request = Assert.Single(finpay.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("http://127.0.0.1:5090/finpay/pg/payment/card/check/ORD%2F7%20a", request.Uri.AbsoluteUri);
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task The_description_falls_back_to_the_goods_name_and_a_one_word_name_has_an_empty_last_name()
    {
        var finpay = Success();
        await using var services = FinpayServices.Create(finpay);
        var charge = Charges.OneClick(reference: "ORD-1003") with
        {
            Description = null,
            Customer = new Payments.Contracts.Customer { Name = "Prabowo" },
        };

        await services.Gateway.ChargeAsync(charge, Ct);

        using var body = JsonDocument.Parse(Assert.Single(finpay.Requests).Body!);
        Assert.Equal("Premium Subscription", body.RootElement.GetProperty("order").GetProperty("description").GetString());
        Assert.Equal("Prabowo", body.RootElement.GetProperty("customer").GetProperty("firstName").GetString());
        Assert.Equal("", body.RootElement.GetProperty("customer").GetProperty("lastName").GetString());
    }

    [Theory]
    [InlineData("Hajar Ismail", "Hajar", "Ismail")]
    [InlineData("  Anna Maria  de Souza ", "Anna", "Maria  de Souza")]
    [InlineData("Prabowo", "Prabowo", "")]
    [InlineData("", "", "")]
    public void A_customer_name_is_split_at_its_first_space(string name, string first, string last)
    {
        Assert.Equal((first, last), FinpayPaymentRequest.SplitName(name));
    }

    [Fact]
    public void The_card_token_is_kept_out_of_ToString()
    {
        var card = new FinpayCard { Token = "81b36a850c2e40458bad296f952084b516c919ca717d448722782769b81b9fd9" };

        Assert.DoesNotContain(card.Token, card.ToString());
    }
}
