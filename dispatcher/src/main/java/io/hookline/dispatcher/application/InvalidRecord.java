package io.hookline.dispatcher.application;

/** An undecodable input record: its original bytes, where it came from, and why it was refused. */
public record InvalidRecord(
    byte[] key, byte[] value, String sourceTopic, int sourcePartition, long sourceOffset, String reason, String message) {}
