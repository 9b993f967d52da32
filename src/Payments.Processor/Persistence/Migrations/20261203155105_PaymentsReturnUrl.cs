using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Processor.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PaymentsReturnUrl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReturnUrl",
                table: "payments",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReturnUrl",
                table: "payments");
        }
    }
}
