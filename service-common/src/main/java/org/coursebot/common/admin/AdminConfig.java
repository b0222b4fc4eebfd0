package org.coursebot.common.admin;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The admin API's settings. */
@ConfigMapping(prefix = "coursebot.admin")
public interface AdminConfig {

    /** Bearer token for /admin (env ADMIN_TOKEN). Unset: the admin endpoints answer 404, never open. */
    Optional<String> token();
}
