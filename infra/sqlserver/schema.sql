CREATE TABLE [charge_attempts] (
    [PaymentId] uniqueidentifier NOT NULL,
    [Gateway] nvarchar(20) NOT NULL,
    [MerchantReference] nvarchar(100) NOT NULL,
    [AccountId] nvarchar(64) NULL,
    [StartedAt] datetimeoffset NOT NULL,
    [TraceParent] nvarchar(128) NULL,
    [Answer] nvarchar(max) NULL,
    CONSTRAINT [PK_charge_attempts] PRIMARY KEY ([PaymentId])
);
GO


CREATE TABLE [InboxState] (
    [Id] bigint NOT NULL IDENTITY,
    [MessageId] uniqueidentifier NOT NULL,
    [ConsumerId] uniqueidentifier NOT NULL,
    [LockId] uniqueidentifier NOT NULL,
    [RowVersion] int NOT NULL,
    [Received] datetime2 NOT NULL,
    [ReceiveCount] int NOT NULL,
    [ExpirationTime] datetime2 NULL,
    [Consumed] datetime2 NULL,
    [Delivered] datetime2 NULL,
    [LastSequenceNumber] bigint NULL,
    CONSTRAINT [PK_InboxState] PRIMARY KEY ([Id]),
    CONSTRAINT [AK_InboxState_MessageId_ConsumerId] UNIQUE ([MessageId], [ConsumerId])
);
GO


CREATE TABLE [OutboxMessage] (
    [SequenceNumber] bigint NOT NULL IDENTITY,
    [EnqueueTime] datetime2 NULL,
    [SentTime] datetime2 NOT NULL,
    [Headers] nvarchar(max) NULL,
    [Properties] nvarchar(max) NULL,
    [InboxMessageId] uniqueidentifier NULL,
    [InboxConsumerId] uniqueidentifier NULL,
    [OutboxId] uniqueidentifier NULL,
    [MessageId] uniqueidentifier NOT NULL,
    [ContentType] nvarchar(256) NOT NULL,
    [MessageType] nvarchar(max) NOT NULL,
    [Body] nvarchar(max) NOT NULL,
    [ConversationId] uniqueidentifier NULL,
    [CorrelationId] uniqueidentifier NULL,
    [InitiatorId] uniqueidentifier NULL,
    [RequestId] uniqueidentifier NULL,
    [SourceAddress] nvarchar(256) NULL,
    [DestinationAddress] nvarchar(256) NULL,
    [ResponseAddress] nvarchar(256) NULL,
    [FaultAddress] nvarchar(256) NULL,
    [ExpirationTime] datetime2 NULL,
    CONSTRAINT [PK_OutboxMessage] PRIMARY KEY ([SequenceNumber])
);
GO


CREATE TABLE [OutboxState] (
    [OutboxId] uniqueidentifier NOT NULL,
    [LockId] uniqueidentifier NOT NULL,
    [RowVersion] int NOT NULL,
    [Created] datetime2 NOT NULL,
    [Delivered] datetime2 NULL,
    [LastSequenceNumber] bigint NULL,
    CONSTRAINT [PK_OutboxState] PRIMARY KEY ([OutboxId])
);
GO


CREATE TABLE [payments] (
    [CorrelationId] uniqueidentifier NOT NULL,
    [CurrentState] nvarchar(32) NOT NULL,
    [Version] int NOT NULL,
    [MerchantReference] nvarchar(100) NOT NULL,
    [AccountId] nvarchar(64) NULL,
    [Amount] bigint NOT NULL,
    [Currency] nvarchar(3) NOT NULL,
    [Gateway] nvarchar(20) NOT NULL,
    [CardMasked] nvarchar(24) NULL,
    [InstallmentMonths] int NULL,
    [GatewayTransactionId] nvarchar(100) NULL,
    [ProviderTransactionId] nvarchar(100) NULL,
    [AuthorizationCode] nvarchar(100) NULL,
    [RedirectHtml] nvarchar(max) NULL,
    [PaymentUrl] nvarchar(4000) NULL,
    [RedirectExpiresAt] datetimeoffset NULL,
    [ReturnUrl] nvarchar(2000) NULL,
    [FailureCode] nvarchar(64) NULL,
    [FailureReason] nvarchar(1000) NULL,
    [GatewayCode] nvarchar(64) NULL,
    [GatewayMessage] nvarchar(1000) NULL,
    [StatusSequence] int NOT NULL,
    [ChargeSubmittedAt] datetimeoffset NULL,
    [OutcomeUnknownSince] datetimeoffset NULL,
    [InquiryAttempts] int NOT NULL,
    [InquiryPollTokenId] uniqueidentifier NULL,
    [RedirectExpiryTokenId] uniqueidentifier NULL,
    [CreatedAt] datetimeoffset NOT NULL,
    [UpdatedAt] datetimeoffset NOT NULL,
    [CompletedAt] datetimeoffset NULL,
    [NeedsReconciliation] bit NOT NULL,
    [RefundKind] nvarchar(8) NULL,
    [RefundReason] nvarchar(500) NULL,
    [RefundIdempotencyKey] nvarchar(100) NULL,
    [RefundFrom] nvarchar(32) NULL,
    [RefundRequestedAt] datetimeoffset NULL,
    [RefundedAt] datetimeoffset NULL,
    [RefundFailureCode] nvarchar(64) NULL,
    [RefundFailureReason] nvarchar(1000) NULL,
    [RowVersion] rowversion NULL,
    CONSTRAINT [PK_payments] PRIMARY KEY ([CorrelationId])
);
GO


CREATE TABLE [ScheduledMessages] (
    [TokenId] uniqueidentifier NOT NULL,
    [MessageId] uniqueidentifier NOT NULL,
    [CorrelationId] uniqueidentifier NULL,
    [DestinationAddress] nvarchar(1024) NOT NULL,
    [MessageType] nvarchar(2048) NOT NULL,
    [ContentType] nvarchar(256) NOT NULL,
    [Body] nvarchar(max) NOT NULL,
    [Headers] nvarchar(max) NULL,
    [DueAt] datetimeoffset NOT NULL,
    [CreatedAt] datetimeoffset NOT NULL,
    CONSTRAINT [PK_ScheduledMessages] PRIMARY KEY ([TokenId])
);
GO


CREATE TABLE [payment_transitions] (
    [Id] bigint NOT NULL IDENTITY,
    [Sequence] int NOT NULL,
    [At] datetimeoffset NOT NULL,
    [From] nvarchar(32) NULL,
    [To] nvarchar(32) NOT NULL,
    [Cause] nvarchar(32) NOT NULL,
    [Detail] nvarchar(2000) NULL,
    [Contradiction] bit NOT NULL,
    [PaymentId] uniqueidentifier NOT NULL,
    CONSTRAINT [PK_payment_transitions] PRIMARY KEY ([Id]),
    CONSTRAINT [FK_payment_transitions_payments_PaymentId] FOREIGN KEY ([PaymentId]) REFERENCES [payments] ([CorrelationId]) ON DELETE CASCADE
);
GO


CREATE UNIQUE INDEX [IX_charge_attempts_Gateway_MerchantReference] ON [charge_attempts] ([Gateway], [MerchantReference]);
GO


CREATE INDEX [IX_InboxState_Consumed] ON [InboxState] ([Consumed]);
GO


CREATE INDEX [IX_InboxState_Delivered] ON [InboxState] ([Delivered]);
GO


CREATE INDEX [IX_OutboxMessage_EnqueueTime] ON [OutboxMessage] ([EnqueueTime]);
GO


CREATE INDEX [IX_OutboxMessage_ExpirationTime] ON [OutboxMessage] ([ExpirationTime]);
GO


CREATE UNIQUE INDEX [IX_OutboxMessage_InboxMessageId_InboxConsumerId_SequenceNumber] ON [OutboxMessage] ([InboxMessageId], [InboxConsumerId], [SequenceNumber]) WHERE [InboxMessageId] IS NOT NULL AND [InboxConsumerId] IS NOT NULL;
GO


CREATE UNIQUE INDEX [IX_OutboxMessage_OutboxId_SequenceNumber] ON [OutboxMessage] ([OutboxId], [SequenceNumber]) WHERE [OutboxId] IS NOT NULL;
GO


CREATE INDEX [IX_OutboxState_Created] ON [OutboxState] ([Created]);
GO


CREATE INDEX [IX_payment_transitions_PaymentId] ON [payment_transitions] ([PaymentId]);
GO


CREATE INDEX [IX_payments_CreatedAt] ON [payments] ([CreatedAt]);
GO


CREATE INDEX [IX_payments_CurrentState_UpdatedAt] ON [payments] ([CurrentState], [UpdatedAt]);
GO


CREATE INDEX [IX_payments_MerchantReference] ON [payments] ([MerchantReference]);
GO


CREATE INDEX [IX_ScheduledMessages_DueAt] ON [ScheduledMessages] ([DueAt]);
GO
