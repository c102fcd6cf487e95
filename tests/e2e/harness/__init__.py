"""Test harness for the CcGuard end-to-end suite: profile, SMTP sink, Marionette, Thunderbird, driver."""
