using Avro.Specific;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.DynamoDb;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Media;
using StreamBilling.Events.S3;

namespace StreamBilling.Simulation;

/// <summary>
/// One pass of the simulation. Simulated time advances in steps of the CDN sample interval; each step draws the usage that
/// happens in it and schedules the resulting deliveries in a queue ordered by publish time. Everything drawn in a step is
/// published at or after the step's start, so releasing the queued events that precede the step's end keeps the output sorted.
/// </summary>
internal sealed class SimulationRun
{
    // Burst traffic per minute: 15-minute bursts reach >= 117 GB per 15 min even with CloudWatch's -2 % error;
    // 3-hour bursts reach >= 529 GB per 3 h yet stay under 52 GB per 15 min, so only the long cap fires.
    internal const long ShortBurstMinBytesPerMinute = 8_000_000_000;
    internal const long ShortBurstMaxBytesPerMinute = 9_500_000_000;
    internal const long LongBurstMinBytesPerMinute = 3_000_000_000;
    internal const long LongBurstMaxBytesPerMinute = 3_400_000_000;
    internal const double CloudWatchError = 0.02;

    private readonly SimulationOptions _options;
    private readonly IReadOnlyList<CustomerProfile> _customers;
    private readonly Random _random;
    private readonly DateTimeOffset _end;
    private readonly string _eventIdPrefix;
    private readonly long[] _trueCdnBytesSinceDayStart;
    private readonly PriorityQueue<SimulatedEvent, (long Ticks, long Sequence)> _pending = new();
    private long _sequence;
    private long _eventCount;

    public SimulationRun(SimulationOptions options, IReadOnlyList<CustomerProfile> customers)
    {
        _options = options;
        _customers = customers;
        _random = new Random(options.Seed);
        _end = options.Start + options.Duration;
        _eventIdPrefix = "sim" + options.Seed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        _trueCdnBytesSinceDayStart = new long[customers.Count];
    }

    public IEnumerable<SimulatedEvent> Run()
    {
        foreach (var customer in _customers)
        {
            if (customer.BuysReservedInstance)
            {
                ScheduleReservedInstance(customer);
            }

            if (customer.UsesMedia)
            {
                ScheduleMediaSessions(customer);
            }
        }

        var step = _options.CdnSampleInterval;
        var launchesPerStep = _options.InstancesPerCustomer * (step / _options.Duration);
        var dayStart = _options.Start;
        for (var stepStart = _options.Start; stepStart < _end; stepStart += step)
        {
            var stepEnd = stepStart + step;
            for (var c = 0; c < _customers.Count; c++)
            {
                SampleCdn(c, stepStart, stepEnd);
                LaunchInstances(_customers[c], stepStart, launchesPerStep);
            }

            if (_options.MeteredStorage && (stepEnd.UtcTicks % TimeSpan.TicksPerHour == 0 || stepEnd == _end))
            {
                var hourStart = new DateTimeOffset(stepStart.UtcTicks - (stepStart.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
                MeterStorage(Max(hourStart, _options.Start), stepEnd);
            }

            if (stepEnd.UtcTicks % TimeSpan.TicksPerDay == 0 || stepEnd == _end)
            {
                PublishCostExplorerTotals(dayStart, stepEnd);
                dayStart = stepEnd;
            }

            while (_pending.TryPeek(out var next, out _) && next.Timestamp < stepEnd)
            {
                yield return _pending.Dequeue();
            }
        }

        // Late deliveries (Cost Explorer totals, delayed launches, re-sends) scheduled past the end of simulated time.
        while (_pending.TryDequeue(out var late, out _))
        {
            yield return late;
        }
    }

    private void SampleCdn(int index, DateTimeOffset from, DateTimeOffset to)
    {
        var customer = _customers[index];
        var burst = customer.Public;
        var inBurst = burst.BurstStart <= from && from < burst.BurstEnd;
        var perMinute = !inBurst ? (long)(customer.BaselineBytesPerMinute * (0.5 + _random.NextDouble()))
            : burst.Burst == CdnBurst.FifteenMinutes ? _random.NextInt64(ShortBurstMinBytesPerMinute, ShortBurstMaxBytesPerMinute)
            : _random.NextInt64(LongBurstMinBytesPerMinute, LongBurstMaxBytesPerMinute);
        var trueBytes = (long)(perMinute * (to - from).TotalMinutes);
        _trueCdnBytesSinceDayStart[index] += trueBytes;

        // CloudWatch is near-real-time but slightly wrong; Cost Explorer later reports the exact total.
        var reported = (long)(trueBytes * (1 + (CloudWatchError * ((2 * _random.NextDouble()) - 1))));
        var traffic = new CdnTraffic
        {
            eventId = NextEventId(),
            source = "cloudwatch-poller",
            customerId = customer.CustomerId,
            distributionId = burst.DistributionId,
            dataSource = CdnDataSource.CloudWatch,
            periodStart = AvroValues.Time(from),
            periodEnd = AvroValues.Time(to),
            bytes = reported,
        };
        Schedule(Topics.CdnTraffic, customer.CustomerId, traffic, to + Seconds(0, 20), from);
    }

    private void PublishCostExplorerTotals(DateTimeOffset from, DateTimeOffset to)
    {
        for (var c = 0; c < _customers.Count; c++)
        {
            var customer = _customers[c];
            var traffic = new CdnTraffic
            {
                eventId = NextEventId(),
                source = "cost-explorer-poller",
                customerId = customer.CustomerId,
                distributionId = customer.Public.DistributionId,
                dataSource = CdnDataSource.CostExplorer,
                periodStart = AvroValues.Time(from),
                periodEnd = AvroValues.Time(to),
                bytes = _trueCdnBytesSinceDayStart[c],
            };
            _trueCdnBytesSinceDayStart[c] = 0;
            Schedule(Topics.CdnCostExplorer, customer.CustomerId, traffic, to + _options.CostExplorerDelay + Seconds(0, 600), from);
        }
    }

    private void LaunchInstances(CustomerProfile customer, DateTimeOffset stepStart, double expected)
    {
        // Whole launches for the integer part, one more with the probability of the fraction: on average `expected` per step.
        var count = (int)expected + (_random.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
        for (var i = 0; i < count; i++)
        {
            var stepSeconds = (int)_options.CdnSampleInterval.TotalSeconds;
            LaunchInstance(customer, stepStart + TimeSpan.FromSeconds(_random.Next(stepSeconds)));
        }
    }

    private void LaunchInstance(CustomerProfile customer, DateTimeOffset launchedAt)
    {
        var instanceId = "i-" + Ids.Hex(_random, 17);
        var instanceType = Catalog.InstanceTypes[_random.Next(Catalog.InstanceTypes.Length)];
        var region = _random.NextDouble() < 0.7 ? customer.HomeRegion : Catalog.Regions[_random.Next(Catalog.Regions.Length)];
        var os = Catalog.Os(_random);
        var purchase = Catalog.PurchaseOption(_random);
        var tags = new Dictionary<string, string> { ["env"] = Catalog.Environments[_random.Next(Catalog.Environments.Length)] };
        if (_random.NextDouble() < 0.97)
        {
            tags["role"] = Catalog.Roles[_random.Next(Catalog.Roles.Length)];
        }

        var neverTerminates = _random.NextDouble() < _options.NeverTerminatedRatio;
        var minLifetime = Math.Log(TimeSpan.FromMinutes(5).TotalSeconds);
        var lifetime = TimeSpan.FromSeconds(Math.Round(Math.Exp(minLifetime + (_random.NextDouble() * (Math.Log(_options.MaxInstanceLifetime.TotalSeconds) - minLifetime)))));
        var terminatedAt = launchedAt + lifetime;
        var terminates = !neverTerminates && terminatedAt < _end;
        var launchArrivesLate = terminates && _random.NextDouble() < _options.TerminateBeforeLaunchRatio;

        var launch = new InstanceLaunched
        {
            eventId = NextEventId(),
            source = "ec2-control-plane",
            eventTime = AvroValues.Time(launchedAt),
            accountId = customer.CustomerId,
            instanceId = instanceId,
            instanceType = instanceType,
            region = region,
            os = os,
            purchaseOption = purchase,
            tags = tags,
        };
        var launchPublishedAt = launchArrivesLate ? terminatedAt + Seconds(1, 600) : launchedAt;
        Schedule(Topics.InstanceLaunched, instanceId, launch, launchPublishedAt, launchedAt);

        if (terminates)
        {
            var terminate = new InstanceTerminated
            {
                eventId = NextEventId(),
                source = "ec2-control-plane",
                eventTime = AvroValues.Time(terminatedAt),
                accountId = customer.CustomerId,
                instanceId = instanceId,
                instanceType = instanceType,
                region = region,
                os = os,
                purchaseOption = purchase,
                tags = tags,
            };
            Schedule(Topics.InstanceTerminated, instanceId, terminate, terminatedAt, terminatedAt);
        }

        if (_random.NextDouble() < _options.ElasticIpRatio)
        {
            ScheduleElasticIp(customer, region, instanceId, launchedAt, terminates ? terminatedAt : null);
        }
    }

    private void ScheduleElasticIp(CustomerProfile customer, string region, string instanceId, DateTimeOffset allocatedAt, DateTimeOffset? instanceStoppedAt)
    {
        var allocationId = "eipalloc-" + Ids.Hex(_random, 17);
        var publicIp = $"52.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}";
        var byoip = _random.NextDouble() < 0.1;
        var account = customer.CustomerId;
        Schedule(Topics.ElasticIpAllocated, account, new ElasticIpAllocated
        {
            eventId = NextEventId(),
            source = "ec2-control-plane",
            eventTime = AvroValues.Time(allocatedAt),
            accountId = account,
            allocationId = allocationId,
            publicIp = publicIp,
            region = region,
            byoip = byoip,
        }, allocatedAt, allocatedAt);

        // Attached a few minutes after allocation, detached when the instance stops, released up to 2 h later:
        // the unattached stretches are what Elastic IP billing charges for.
        var associatedAt = allocatedAt + Seconds(10, 600);
        var detachAt = instanceStoppedAt ?? _end;
        if (associatedAt < detachAt)
        {
            var associationId = "eipassoc-" + Ids.Hex(_random, 17);
            Schedule(Topics.ElasticIpAssociated, account, new ElasticIpAssociated
            {
                eventId = NextEventId(),
                source = "ec2-control-plane",
                eventTime = AvroValues.Time(associatedAt),
                accountId = account,
                allocationId = allocationId,
                publicIp = publicIp,
                region = region,
                associationId = associationId,
                instanceId = instanceId,
            }, associatedAt, associatedAt);
            if (instanceStoppedAt is { } stoppedAt)
            {
                Schedule(Topics.ElasticIpDisassociated, account, new ElasticIpDisassociated
                {
                    eventId = NextEventId(),
                    source = "ec2-control-plane",
                    eventTime = AvroValues.Time(stoppedAt),
                    accountId = account,
                    allocationId = allocationId,
                    publicIp = publicIp,
                    region = region,
                    associationId = associationId,
                    instanceId = instanceId,
                }, stoppedAt, stoppedAt);
            }
        }

        if (instanceStoppedAt is { } stopped && stopped + Seconds(60, 7200) is var releasedAt && releasedAt < _end)
        {
            Schedule(Topics.ElasticIpReleased, account, new ElasticIpReleased
            {
                eventId = NextEventId(),
                source = "ec2-control-plane",
                eventTime = AvroValues.Time(releasedAt),
                accountId = account,
                allocationId = allocationId,
                publicIp = publicIp,
                region = region,
                byoip = byoip,
            }, releasedAt, releasedAt);
        }
    }

    private void ScheduleReservedInstance(CustomerProfile customer)
    {
        var purchasedAt = _options.Start + TimeSpan.FromMinutes(_random.Next((int)Math.Max(1, _options.Duration.TotalMinutes)));
        var nextMonth = new DateTimeOffset(purchasedAt.Year, purchasedAt.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var term = _random.NextDouble() < 0.7 ? ReservationTerm.OneYear : ReservationTerm.ThreeYears;
        Schedule(Topics.ReservedInstancePurchased, customer.CustomerId, new ReservedInstancePurchased
        {
            eventId = NextEventId(),
            source = "ec2-control-plane",
            eventTime = AvroValues.Time(purchasedAt),
            accountId = customer.CustomerId,
            reservationId = "ri-" + Ids.Hex(_random, 17),
            instanceId = "i-" + Ids.Hex(_random, 17),
            instanceType = Catalog.InstanceTypes[_random.Next(Catalog.InstanceTypes.Length)],
            region = customer.HomeRegion,
            os = Catalog.Os(_random),
            term = term,
            termStart = AvroValues.Time(nextMonth),
            termEnd = AvroValues.Time(nextMonth.AddMonths(term == ReservationTerm.OneYear ? 12 : 36)),
        }, purchasedAt, purchasedAt);
    }

    private void ScheduleMediaSessions(CustomerProfile customer)
    {
        var sessions = Math.Max(1, (int)Math.Round(_options.Duration.TotalDays));
        for (var s = 0; s < sessions; s++)
        {
            var startedAt = _options.Start + TimeSpan.FromMinutes(_random.Next((int)Math.Max(1, _options.Duration.TotalMinutes)));
            var stoppedAt = startedAt + TimeSpan.FromMinutes(_random.Next(30, 241));
            ScheduleMediaSession(customer, startedAt, stoppedAt);
        }
    }

    private void ScheduleMediaSession(CustomerProfile customer, DateTimeOffset startedAt, DateTimeOffset stoppedAt)
    {
        var account = customer.CustomerId;
        var region = customer.HomeRegion;
        var channelId = "ml-" + Ids.Hex(_random, 10);
        var inputs = _random.Next(1, 3);
        var outputs = _random.Next(1, 5);
        Schedule(Topics.MediaLiveChannelStarted, channelId, new MediaLiveChannelStarted
        {
            eventId = NextEventId(),
            source = "medialive",
            eventTime = AvroValues.Time(startedAt),
            accountId = account,
            channelId = channelId,
            region = region,
            inputCount = inputs,
            outputCount = outputs,
        }, startedAt, startedAt);

        // Egress is metered per hour while the channel runs, and published a few minutes after each hour.
        var bytesPerMinute = _random.NextInt64(10_000_000, 40_000_000);
        var distributionId = customer.Public.DistributionId;
        var meteredUntil = Min(stoppedAt, _end);
        for (var from = startedAt; from < meteredUntil;)
        {
            var to = Min(new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero).AddHours(1), meteredUntil);
            var bytes = (long)(bytesPerMinute * (to - from).TotalMinutes);
            Schedule(Topics.MediaPackageEgress, account, new MediaPackageEgress
            {
                eventId = NextEventId(),
                source = "cloudwatch-poller",
                accountId = account,
                channelId = channelId,
                region = region,
                periodStart = AvroValues.Time(from),
                periodEnd = AvroValues.Time(to),
                bytesDownloaded = bytes,
            }, to + Seconds(30, 300), from);
            Schedule(Topics.CloudFrontEgress, account, new CloudFrontEgress
            {
                eventId = NextEventId(),
                source = "cloudwatch-poller",
                accountId = account,
                distributionId = distributionId,
                region = region,
                periodStart = AvroValues.Time(from),
                periodEnd = AvroValues.Time(to),
                bytes = (long)(bytes * (0.8 + (0.4 * _random.NextDouble()))),
            }, to + Seconds(30, 300), from);
            from = to;
        }

        if (stoppedAt >= _end)
        {
            return;
        }

        Schedule(Topics.MediaLiveChannelStopped, channelId, new MediaLiveChannelStopped
        {
            eventId = NextEventId(),
            source = "medialive",
            eventTime = AvroValues.Time(stoppedAt),
            accountId = account,
            channelId = channelId,
            region = region,
            inputCount = inputs,
            outputCount = outputs,
        }, stoppedAt, stoppedAt);

        // After the breakout the recording is transcoded and stored.
        var jobId = "job-" + Ids.Hex(_random, 12);
        var jobStartedAt = stoppedAt + Seconds(60, 600);
        var jobFinishedAt = jobStartedAt + TimeSpan.FromMinutes(_random.Next(5, 61));
        if (jobStartedAt >= _end)
        {
            return;
        }

        Schedule(Topics.MediaConvertJobStarted, jobId, new MediaConvertJobStarted
        {
            eventId = NextEventId(),
            source = "mediaconvert",
            eventTime = AvroValues.Time(jobStartedAt),
            accountId = account,
            jobId = jobId,
            region = region,
        }, jobStartedAt, jobStartedAt);
        if (jobFinishedAt >= _end)
        {
            return;
        }

        var outcome = _random.NextDouble() switch
        {
            < 0.93 => MediaConvertJobOutcome.Completed,
            < 0.98 => MediaConvertJobOutcome.Failed,
            _ => MediaConvertJobOutcome.Canceled,
        };
        Schedule(Topics.MediaConvertJobFinished, jobId, new MediaConvertJobFinished
        {
            eventId = NextEventId(),
            source = "mediaconvert",
            eventTime = AvroValues.Time(jobFinishedAt),
            accountId = account,
            jobId = jobId,
            region = region,
            outcome = outcome,
        }, jobFinishedAt, jobFinishedAt);

        var storedAt = jobFinishedAt + Seconds(10, 120);
        if (outcome == MediaConvertJobOutcome.Completed && storedAt < _end)
        {
            Schedule(Topics.RecordingStored, account, new RecordingStored
            {
                eventId = NextEventId(),
                source = "s3-events",
                eventTime = AvroValues.Time(storedAt),
                accountId = account,
                bucket = account.ToLowerInvariant() + "-recordings",
                recordingId = "rec-" + Ids.Hex(_random, 12),
                region = region,
                sizeBytes = (long)((stoppedAt - startedAt).TotalMinutes * _random.NextInt64(30_000_000, 90_000_000)),
            }, storedAt, storedAt);
        }
    }

    private void MeterStorage(DateTimeOffset from, DateTimeOffset to)
    {
        var hours = (decimal)(to - from).TotalHours;
        foreach (var customer in _customers)
        {
            for (var b = 0; b < customer.Buckets.Count; b++)
            {
                var sizeGb = customer.BucketSizesGb[b];
                Schedule(Topics.S3BucketUsage, customer.CustomerId, new BucketUsage
                {
                    eventId = NextEventId(),
                    source = "s3-metering",
                    accountId = customer.CustomerId,
                    bucket = customer.Buckets[b],
                    region = customer.HomeRegion,
                    periodStart = AvroValues.Time(from),
                    periodEnd = AvroValues.Time(to),
                    storedGbHours = AvroValues.Quantity(sizeGb * hours),
                    // Up to 0.04 % of the bucket read out per hour (about 0.5 % a day on average): priced as S3 transfer out.
                    readGb = AvroValues.Quantity(sizeGb * 0.0004m * (decimal)_random.NextDouble() * hours),
                    writtenGb = AvroValues.Quantity(2m * (decimal)_random.NextDouble() * hours),
                    getRequests = (long)(_random.Next(0, 100_000) * hours),
                    putRequests = (long)(_random.Next(0, 10_000) * hours),
                }, to + Seconds(60, 900), from);
            }

            foreach (var table in customer.Tables)
            {
                Schedule(Topics.DynamoDbTableUsage, customer.CustomerId, new TableUsage
                {
                    eventId = NextEventId(),
                    source = "dynamodb-metering",
                    accountId = customer.CustomerId,
                    tableName = table,
                    region = customer.HomeRegion,
                    periodStart = AvroValues.Time(from),
                    periodEnd = AvroValues.Time(to),
                    readRequestUnits = (long)(_random.Next(0, 1_000_000) * hours),
                    writeRequestUnits = (long)(_random.Next(0, 200_000) * hours),
                }, to + Seconds(60, 900), from);
            }
        }
    }

    private void Schedule(string topic, string key, ISpecificRecord value, DateTimeOffset publishedAt, DateTimeOffset eventTime)
    {
        Enqueue(new SimulatedEvent(topic, key, value, publishedAt, eventTime));
        if (_random.NextDouble() < _options.DuplicateRatio)
        {
            // A re-send: the same record (same eventId) delivered again shortly after.
            Enqueue(new SimulatedEvent(topic, key, value, publishedAt + Seconds(1, 300), eventTime));
        }
    }

    private void Enqueue(SimulatedEvent simulated) => _pending.Enqueue(simulated, (simulated.Timestamp.UtcTicks, _sequence++));

    private string NextEventId() => _eventIdPrefix + "-" + (++_eventCount).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    private TimeSpan Seconds(int min, int max) => TimeSpan.FromSeconds(_random.Next(min, max + 1));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
