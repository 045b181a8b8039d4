using System.Collections;

namespace StreamBilling.Billing;

/// <summary>The month pieces of one interval; a struct sequence so hot loops do not allocate.</summary>
public readonly struct MonthPieces : IEnumerable<MonthPiece>
{
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _until;

    internal MonthPieces(DateTimeOffset from, DateTimeOffset until)
    {
        _from = from;
        _until = until;
    }

    /// <summary>Returns the allocation-free enumerator used by <c>foreach</c>.</summary>
    public Enumerator GetEnumerator() => new(_from, _until);

    IEnumerator<MonthPiece> IEnumerable<MonthPiece>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the pieces month by month.</summary>
    public struct Enumerator : IEnumerator<MonthPiece>
    {
        private readonly DateTimeOffset _until;
        private DateTimeOffset _next;
        private bool _done;

        internal Enumerator(DateTimeOffset from, DateTimeOffset until)
        {
            _next = from;
            _until = until;
            _done = false;
            Current = default;
        }

        /// <inheritdoc />
        public MonthPiece Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            var month = BillingMonth.Of(_next);
            var monthEnd = month.End;
            var end = _until < monthEnd ? _until : monthEnd;
            Current = new MonthPiece(month, _next, end);
            _next = end;
            _done = end >= _until;
            return true;
        }

        /// <inheritdoc />
        public void Reset() => throw new NotSupportedException();

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
