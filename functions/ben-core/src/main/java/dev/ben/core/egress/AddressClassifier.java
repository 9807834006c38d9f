package dev.ben.core.egress;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Classifies an IP address into a refused {@link AddressRange}, or empty when it is public. Pure (works on
 * the address bytes; no DNS). IPv6 forms that embed an IPv4 address are judged by the embedded address:
 * IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d},
 * 6to4 {@code 2002:aabb:ccdd::}.
 */
public final class AddressClassifier {
    private AddressClassifier() {
    }

    public static Optional<AddressRange> classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return classifyV4(b);
        }
        return classifyV6(b);
    }

    static Optional<AddressRange> classifyV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) {
            return Optional.of(AddressRange.METADATA);
        }
        if (a0 == 192 && a1 == 0 && a2 == 0 && a3 == 192) {
            return Optional.of(AddressRange.METADATA); // Oracle Cloud
        }
        if (a0 == 0) {
            return Optional.of(AddressRange.UNSPECIFIED);
        }
        if (a0 == 127) {
            return Optional.of(AddressRange.LOOPBACK);
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of(AddressRange.PRIVATE);
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of(AddressRange.CARRIER_GRADE_NAT);
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of(AddressRange.LINK_LOCAL);
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return Optional.of(AddressRange.BROADCAST);
        }
        if ((a0 & 0xf0) == 224) {
            return Optional.of(AddressRange.MULTICAST);
        }
        if ((a0 & 0xf0) == 240 || (a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 198 && (a1 & 0xfe) == 18)) {
            return Optional.of(AddressRange.RESERVED);
        }
        return Optional.empty();
    }

    static Optional<AddressRange> classifyV6(byte[] b) {
        // fd00:ec2::254 — AWS's IPv6 instance metadata endpoint.
        if (equalsBytes(b, METADATA_V6)) {
            return Optional.of(AddressRange.METADATA);
        }
        boolean first80Zero = allZero(b, 0, 10);
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classifyV4(slice(b, 12)); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (first80Zero && b[10] == 0 && b[11] == 0) {
            if (allZero(b, 12, 16)) {
                return Optional.of(AddressRange.UNSPECIFIED); // ::
            }
            if (allZero(b, 12, 15) && b[15] == 1) {
                return Optional.of(AddressRange.LOOPBACK); // ::1
            }
            Optional<AddressRange> embedded = classifyV4(slice(b, 12)); // ::a.b.c.d, IPv4-compatible
            return embedded.isPresent() ? embedded : Optional.of(AddressRange.RESERVED);
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int w2 = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b && allZero(b, 4, 12)) {
            return classifyV4(slice(b, 12)); // 64:ff9b::/96 NAT64 well-known prefix
        }
        if (w0 == 0x0064 && w1 == 0xff9b && w2 == 0x0001) {
            return Optional.of(AddressRange.RESERVED); // 64:ff9b:1::/48 local-use NAT64
        }
        if (w0 == 0x2002) {
            return classifyV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return Optional.of(AddressRange.RESERVED); // Teredo
        }
        if (w0 == 0x0100 && w1 == 0 && w2 == 0 && b[6] == 0 && b[7] == 0) {
            return Optional.of(AddressRange.RESERVED); // 100::/64 discard-only
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of(AddressRange.UNIQUE_LOCAL); // fc00::/7
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of(AddressRange.LINK_LOCAL); // fe80::/10
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of(AddressRange.UNIQUE_LOCAL); // fec0::/10 site-local (deprecated)
        }
        if ((b[0] & 0xff) == 0xff) {
            return Optional.of(AddressRange.MULTICAST);
        }
        return Optional.empty();
    }

    private static final byte[] METADATA_V6 = {
            (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsBytes(byte[] a, byte[] b) {
        return java.util.Arrays.equals(a, b);
    }

    private static byte[] slice(byte[] b, int from) {
        return java.util.Arrays.copyOfRange(b, from, from + 4);
    }
}
