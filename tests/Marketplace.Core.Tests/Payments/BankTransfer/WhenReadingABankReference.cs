using System.Text.RegularExpressions;
using Marketplace.Core.Payments.BankTransfer;

namespace Marketplace.Core.Tests.Payments.BankTransfer;

public sealed partial class WhenReadingABankReference
{
    [Fact]
    public void A_new_reference_is_the_prefix_and_eight_crockford_symbols_that_read_back_as_themselves()
    {
        for (var i = 0; i < 500; i++)
        {
            var reference = BankReference.New();

            Assert.Matches(Format(), reference);
            Assert.True(BankReference.TryNormalize(reference, out var normalized), reference);
            Assert.Equal(reference, normalized);
        }
    }

    [Fact]
    public void The_last_symbol_is_the_other_seven_as_a_number_modulo_37()
    {
        // Payload 0000001 is the number 1, so its check is "1"; 000000Z is 31, check "Z";
        // 0000010 is 32, 32 mod 37 = 32 which has no letter or digit, so New never makes it.
        Assert.Equal("MC-0000-0011", BankReference.New(Bytes(1)));
        Assert.Equal("MC-0000-00ZZ", BankReference.New(Bytes(31)));
        Assert.True(BankReference.TryNormalize("MC-0000-0011", out _));
        Assert.False(BankReference.TryNormalize("MC-0000-0012", out _));
        // 37 → payload "0000015", remainder 0.
        Assert.Equal("MC-0000-0150", BankReference.New(Bytes(37)));
    }

    [Fact]
    public void New_draws_again_when_the_check_would_not_be_a_letter_or_digit()
    {
        var draws = new Queue<long>([32, 36, 38]);

        var reference = BankReference.New(buffer => BitConverter.TryWriteBytes(buffer, draws.Dequeue()));

        // 38 = "0000016", 38 mod 37 = 1.
        Assert.Equal("MC-0000-0161", reference);
        Assert.Empty(draws);
    }

    [Theory]
    [InlineData("mc-0000-0150")]
    [InlineData("MC00000150")]
    [InlineData("  mc 0000 0150 ")]
    [InlineData("0000-0150")]
    [InlineData("MC-OOOO-O15O")]
    [InlineData("mc-oooo-o15o")]
    public void Case_hyphens_spaces_the_prefix_and_the_letter_o_do_not_matter(string typed)
    {
        Assert.True(BankReference.TryNormalize(typed, out var reference));
        Assert.Equal("MC-0000-0150", reference);
    }

    [Theory]
    [InlineData("MC-0000-0011", "MC-OOOO-OOII")]
    [InlineData("MC-0000-0011", "mc-0000-00li")]
    public void I_and_L_read_as_one(string expected, string typed)
    {
        Assert.True(BankReference.TryNormalize(typed, out var reference));
        Assert.Equal(expected, reference);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("MC-0000-015")]
    [InlineData("MC-0000-01500")]
    [InlineData("MC-0000-01U0")]
    [InlineData("MC-0000-01*0")]
    [InlineData("XX-0000-0150")]
    public void Malformed_references_are_refused(string? typed)
    {
        Assert.False(BankReference.TryNormalize(typed, out var reference));
        Assert.Equal(string.Empty, reference);
    }

    [Fact]
    public void Every_single_wrong_symbol_and_every_swap_of_neighbours_is_caught()
    {
        for (var n = 0; n < 50; n++)
        {
            var symbols = BankReference.New().Replace("MC-", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            for (var position = 0; position < symbols.Length; position++)
            {
                foreach (var other in BankReference.Alphabet.Where(c => c != symbols[position]))
                {
                    var typo = symbols[..position] + other + symbols[(position + 1)..];
                    Assert.False(BankReference.TryNormalize(typo, out _), $"{symbols} → {typo}");
                }

                if (position + 1 < symbols.Length && symbols[position] != symbols[position + 1])
                {
                    var swapped = symbols[..position] + symbols[position + 1] + symbols[position] + symbols[(position + 2)..];
                    Assert.False(BankReference.TryNormalize(swapped, out _), $"{symbols} → {swapped}");
                }
            }
        }
    }

    private static Action<Span<byte>> Bytes(long value) => buffer => BitConverter.TryWriteBytes(buffer, value);

    [GeneratedRegex("^MC-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")]
    private static partial Regex Format();
}
