using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Dunwell.Features.Imports;

/// <summary>
/// What <c>accounts.placement_hash</c> holds: 16 bytes of SHA-256 over the placement row's values as last applied, then
/// 16 bytes of SHA-256 over those bytes and the account and debtor as that row left them. A re-import whose row has the
/// same values, for an account and debtor still as the row left them, would change nothing, so its checks can be skipped.
/// SHA-256 rather than a faster hash: a row crafted to collide must not pass for an unchanged one.
/// </summary>
internal static class PlacementHash
{
    public const int Length = 32;
    public const int RowLength = 16;

    // Bump when the row checks or what they derive change, so rows stored by an older version are checked again.
    private const string Version = "placement-v2";

    /// <summary>The first half: the row's values (trimmed, null when blank) in <see cref="PlacementCsv.Header"/> order.</summary>
    public static byte[] OfRow(string?[] values)
    {
        using var writer = new Writer();
        writer.Text(Version);
        foreach (var value in values)
        {
            writer.Text(value);
        }

        return writer.Sha256(RowLength);
    }

    /// <summary>Whether <paramref name="stored"/> was written for a row with these values.</summary>
    public static bool SameRow(byte[]? stored, byte[] row) =>
        stored is { Length: Length } && stored.AsSpan(0, RowLength).SequenceEqual(row);

    /// <summary>Builds the stored value: the row hash, then the hash of the state it left (written by <paramref name="state"/>).</summary>
    public static byte[] Stored(byte[] row, Action<Writer> state)
    {
        using var writer = new Writer();
        writer.Bytes(row);
        state(writer);
        return [.. row, .. writer.Sha256(RowLength)];
    }

    /// <summary>An unambiguous byte encoding of the values to hash, in a pooled buffer.</summary>
    public sealed class Writer : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
        private int _length;

        public void Text(string? value)
        {
            if (value is null)
            {
                Int(-1);
                return;
            }

            Int(value.Length);
            Bytes(MemoryMarshal.AsBytes(value.AsSpan()));
        }

        public void Long(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            Bytes(bytes);
        }

        public void Int(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            Bytes(bytes);
        }

        public void Date(DateOnly? value) => Int(value?.DayNumber ?? -1);

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes.Length));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public byte[] Sha256(int length)
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(_buffer.AsSpan(0, _length), digest);
            return digest[..length].ToArray();
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null!;
            }
        }
    }
}
