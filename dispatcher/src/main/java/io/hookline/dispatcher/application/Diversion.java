package io.hookline.dispatcher.application;

/** An execution taken out of its lane (or never let in) to be parked, and why. */
record Diversion(DeliveryTask task, String reason) {}
