package com.aqad.marketplace.catalog;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import com.aqad.marketplace.platform.outbox.PostgresNotifications;
import com.aqad.marketplace.platform.outbox.PostgresNotifications.Notification;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells this instance's {@link NearCache} of every product change, wherever it was made:
 * PostgreSQL notifies {@code product_changes} with {@code id:version} pairs after each
 * committed statement that updates products (migration V6).
 */
@Component
class ProductChangeListener implements SmartLifecycle {

	static final String CHANNEL = "product_changes";

	private static final Logger log = LoggerFactory.getLogger(ProductChangeListener.class);

	private final PostgresNotifications notifications;

	private final NearCache near;

	private volatile Disposable listening;

	ProductChangeListener(PostgresNotifications notifications, NearCache near) {
		this.notifications = notifications;
		this.near = near;
	}

	@Override
	public void start() {
		this.listening = this.notifications.watch(CHANNEL).subscribe(this::on);
	}

	private void on(Notification notification) {
		switch (notification) {
			case Notification.Listening listening -> this.near.listening(true);
			case Notification.Lost lost -> this.near.listening(false);
			case Notification.Payload payload -> changed(payload.text());
		}
	}

	private void changed(String payload) {
		for (String change : payload.split(",")) {
			int colon = change.indexOf(':');
			try {
				this.near.changed(UUID.fromString(change.substring(0, colon)),
						Long.parseLong(change.substring(colon + 1)));
			}
			catch (RuntimeException ex) {
				// not ours: someone else notified on the channel; drop everything to be
				// safe
				log.warn("Unreadable product change notification '{}'; dropping the in-process product cache", change);
				this.near.listening(true);
			}
		}
	}

	@Override
	public void stop() {
		Disposable current = this.listening;
		if (current != null) {
			current.dispose();
		}
		this.near.listening(false);
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.listening;
		return current != null && !current.isDisposed();
	}

}
