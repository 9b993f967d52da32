using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Processor.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatusSequenceAndGatewayCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GatewayCode",
                table: "payments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GatewayMessage",
                table: "payments",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StatusSequence",
                table: "payments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Payments already under way go on counting from the statuses they have had (notes stay on one status).
            migrationBuilder.Sql("""
                UPDATE payments p SET "StatusSequence" = (
                    SELECT count(*) FROM payment_transitions t
                    WHERE t."PaymentId" = p."CorrelationId" AND (t."From" IS NULL OR t."From" <> t."To"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "GatewayCode",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "GatewayMessage",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "StatusSequence",
                table: "payments");
        }
    }
}
