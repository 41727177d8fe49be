package io.sparkcnn.jobs.config;

/** One job parameter, as in Spark ML's Params: a dotted key, its default and what it means. */
public record Param(String key, Object fallback, String doc) {}
