"use client";
import { PeoplePage } from "../people-page";

export default function FollowingPage() {
  return <PeoplePage which="following" />;
}
