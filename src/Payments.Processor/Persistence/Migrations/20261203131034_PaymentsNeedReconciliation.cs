using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Processor.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PaymentsNeedReconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "NeedsReconciliation",
                table: "payments",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NeedsReconciliation",
                table: "payments");
        }
    }
}
